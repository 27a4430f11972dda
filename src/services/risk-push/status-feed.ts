import { EventEmitter } from 'node:events';
import type { DataSource } from 'typeorm';
import { AccountEntity } from '../../entities';
import { ApiError, notFound } from '../../errors';
import { logger } from '../../lib/logger';
import { oncePer } from '../../lib/once-per';
import { OrderedStream } from '../../lib/ordered-stream';
import type { EventBus } from '../../pubsub';
import type { RiskStatusEvent } from '../../pubsub/events';
import type { RiskStatus } from '../margin';
import type { RiskService } from '../risk/risk.service';
import { statusInputs } from '../risk-book/status-event';
import type { StatusChange } from './risk-push.service';

/** Transitions a subscriber may be behind before it is ended (they are never coalesced or dropped). */
export const STATUS_BACKLOG = 64;

/** The bus subscription's own buffer: it is read at once into each subscriber's OrderedStream. */
const BUS_BUFFER = 4096;

/**
 * riskStatusChanged: the transitions the shards' owners announce on the bus (risk-book/status-announcer.ts),
 * for one account (its own topic) or for every account ('*', the operator feed). Each subscriber gets each
 * transition at once and in order; one more than STATUS_BACKLOG behind is ended with SLOW_SUBSCRIBER. The
 * risk shown is the exact engine's on the inputs the owner decided on, computed once per transition here.
 */
export class StatusFeed {
  /** Open subscriptions (metrics, leak tests). */
  open = 0;
  /** 'open' and 'close' with the count after each: the hook tests wait on instead of sleeping. */
  readonly events = new EventEmitter();

  constructor(
    private readonly ds: DataSource,
    private readonly bus: EventBus,
    private readonly risk: RiskService,
  ) {}

  /** One account's transitions (NOT_FOUND for no such account). */
  async forAccount(accountId: string): Promise<AsyncIterableIterator<StatusChange>> {
    if (!(await this.ds.getRepository(AccountEntity).existsBy({ id: accountId }))) throw notFound('Account');
    return this.follow(accountId);
  }

  /** Every account's transitions: the operators' liquidation and alert feed. */
  forAll(): AsyncIterableIterator<StatusChange> {
    return this.follow('*');
  }

  private follow(topic: string): AsyncIterableIterator<StatusChange> {
    const source = this.bus.subscribe('RISK_STATUS', topic, BUS_BUFFER);
    this.events.emit('open', ++this.open);
    const stream = new OrderedStream<StatusChange>(
      STATUS_BACKLOG,
      () =>
        new ApiError(
          'SLOW_SUBSCRIBER',
          `More than ${STATUS_BACKLOG} status changes behind: subscribe again (and query the current status)`,
        ),
      () => {
        void source.return?.();
        this.events.emit('close', --this.open);
      },
    );
    void (async () => {
      for await (const event of source) {
        try {
          stream.push(this.change(event));
        } catch (err) {
          // Only a catalogue that changed since the decision (an asset gone) can refuse the owner's inputs.
          logger.error({ err, accountId: event.accountId }, 'risk status: transition not computable here');
        }
      }
    })();
    return stream;
  }

  /** One change per bus event, however many subscribers receive it: its risk is computed once. */
  private readonly change = oncePer((event: RiskStatusEvent): StatusChange => {
    const { portfolio, book } = statusInputs(event);
    return {
      accountId: event.accountId,
      from: event.from as RiskStatus,
      to: event.to as RiskStatus,
      snapshot: {
        accountId: event.accountId,
        result: this.risk.risk(portfolio, book),
        portfolio,
        book,
        at: new Date(event.at),
      },
    };
  });
}
