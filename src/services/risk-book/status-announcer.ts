import type { DataSource } from 'typeorm';
import { affectedRows } from '../../db/sql';
import { inTransaction } from '../../db/transaction';
import { logger } from '../../lib/logger';
import type { EventBus } from '../../pubsub';
import type { RiskDecision } from './book';
import type { LiveRiskBook } from './live-book';
import { INITIAL_STATUS, statusEvent } from './status-event';

/**
 * Every status transition of every Portfolio Margin account the book decides, watched or not: persisted on
 * the account row (`riskStatus`) and then announced on the bus, to the account's topic and to '*' (the
 * operator feed). Only accounts this instance owns (`owns`, its shards) are announced.
 *
 * The write is a compare-and-set from the status the book held before: of two instances deciding the same
 * transition (a shard changing hands) exactly one announces it, and a restart, which loads the persisted
 * status as the book's known one, neither announces an old transition again nor misses a new one.
 * Transitions of one account are written and announced in order; accounts do not wait for each other.
 */
export class StatusAnnouncer {
  private readonly chains = new Map<string, Promise<void>>();
  private stopDecisions: (() => void) | null = null;
  /** Transitions announced by this instance (metrics, tests). */
  announced = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly bus: EventBus,
    private readonly book: LiveRiskBook,
    private readonly owns: (accountId: string) => boolean,
    private readonly now: () => Date = () => new Date(),
  ) {}

  start(): void {
    this.stopDecisions = this.book.onDecision((decision) => {
      if ((decision.previous ?? INITIAL_STATUS) === decision.status) return;
      if (!this.owns(decision.accountId)) return;
      this.enqueue(decision);
    });
  }

  async stop(): Promise<void> {
    this.stopDecisions?.();
    this.stopDecisions = null;
    await this.settled();
  }

  /** Resolves when every transition decided so far is written and announced. */
  async settled(): Promise<void> {
    while (this.chains.size > 0) await Promise.all(this.chains.values());
  }

  private enqueue(decision: RiskDecision): void {
    const event = statusEvent(decision, this.now());
    const { accountId } = decision;
    const chain = (this.chains.get(accountId) ?? Promise.resolve())
      .then(() => this.announce(event))
      .catch((err: unknown) => logger.error({ err, accountId }, 'risk status: transition not announced'))
      .finally(() => {
        if (this.chains.get(accountId) === chain) this.chains.delete(accountId);
      });
    this.chains.set(accountId, chain);
  }

  private async announce(event: ReturnType<typeof statusEvent>): Promise<void> {
    const written = await inTransaction(this.ds, (em) =>
      affectedRows(
        em,
        "UPDATE account SET riskStatus = ? WHERE id = ? AND mode = 'PORTFOLIO_MARGIN' AND COALESCE(riskStatus, ?) = ?",
        [event.to, event.accountId, INITIAL_STATUS, event.from],
      ),
    );
    if (written === 0) return;
    this.announced++;
    this.bus.publish('RISK_STATUS', event.accountId, event);
    this.bus.publish('RISK_STATUS', '*', event);
  }
}
