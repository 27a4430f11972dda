import { IsNull, Not, type DataSource } from 'typeorm';
import { AccountEntity } from '../../entities';
import { Repeater } from '@repeaterjs/repeater';
import { ApiError, badInput, notFound } from '../../errors';
import { parseParameter } from '../../lib/amount';
import { dec, type Decimal } from '../../lib/decimal';
import { logger } from '../../lib/logger';
import { onEachEvent, type EventBus } from '../../pubsub';
import { marginCallCrossing } from '../margin';
import type { RiskDecision } from '../risk-book/book';
import type { LiveRiskBook } from '../risk-book/live-book';
import type { RiskSnapshot } from '../risk-push/risk-push.service';

const MIN_LEVEL = dec('1.1');
const MAX_LEVEL = dec('2');
/** Within this relative distance of the level the float ratio does not decide: the exact uniMMR does. */
const NEAR = 1e-9;

/** A margin-call level: null clears it; otherwise 1.1 to 2.0 (Binance PM Pro's range). */
export function parseMarginCallLevel(raw: string | null): Decimal | null {
  if (raw === null) return null;
  const level = parseParameter(raw, 'level');
  if (level.lt(MIN_LEVEL) || level.gt(MAX_LEVEL)) throw badInput('level must be from 1.1 to 2.0', 'level');
  return level;
}

interface Armed {
  level: Decimal;
  levelFloat: number;
  fired: boolean;
}

/**
 * Each account's margin-call level and its armed/fired state, persisted on the account row so a restart
 * neither re-fires nor misses an alert. The risk book decides every PM account on every change; each decision
 * of an account with a level goes through the crossing rule (the float ratio decides unless it is within
 * 1e-9 of the level, then the exact uniMMR). A state change is a compare-and-set on the row, so of several
 * instances deciding the same crossing exactly one announces it (MARGIN_CALL on the bus, to every
 * instance's subscribers).
 */
export class MarginCallService {
  private readonly armed = new Map<string, Armed>();
  private readonly pending = new Map<string, Promise<void>>();
  private stops: (() => void)[] = [];

  constructor(
    private readonly ds: DataSource,
    private readonly bus: EventBus,
    private readonly book: LiveRiskBook,
  ) {}

  /** Loads every level, then follows level changes (any instance) and the book's decisions. */
  async start(): Promise<void> {
    this.stops.push(
      onEachEvent(this.bus, 'MARGIN_CALL_LEVEL', '*', 1024, (change) =>
        this.arm(change.accountId, change.level, false),
      ),
    );
    const rows = await this.ds.getRepository(AccountEntity).find({
      where: { marginCallLevel: Not(IsNull()) },
      select: { id: true, marginCallLevel: true, marginCallFired: true },
    });
    for (const row of rows) this.arm(row.id, row.marginCallLevel!.toFixed(), row.marginCallFired);
    this.stops.push(this.book.onDecision((d) => this.onDecision(d), { all: true }));
  }

  async stop(): Promise<void> {
    for (const stop of this.stops.splice(0)) stop();
    await Promise.all(this.pending.values());
  }

  async setLevel(accountId: string, raw: string | null): Promise<AccountEntity> {
    const level = parseMarginCallLevel(raw);
    const repo = this.ds.getRepository(AccountEntity);
    // A new level is armed afresh: if uniMMR is already at or below it, it fires now.
    const result = await repo.update({ id: accountId }, { marginCallLevel: level, marginCallFired: false });
    if (!result.affected) throw notFound('Account');
    const wire = level === null ? null : level.toFixed();
    this.arm(accountId, wire, false);
    this.bus.publish('MARGIN_CALL_LEVEL', '*', { accountId, level: wire });
    const held = this.book.book.exact(accountId);
    if (held) this.evaluate(accountId, held.result.uniMMR);
    return repo.findOneByOrFail({ id: accountId });
  }

  /** The account's risk at each of its margin calls, announced by whichever instance decided it. */
  async subscribe(accountId: string): Promise<AsyncIterableIterator<RiskSnapshot>> {
    const account = await this.ds.getRepository(AccountEntity).findOneBy({ id: accountId });
    if (!account) throw notFound('Account');
    if (account.mode !== 'PORTFOLIO_MARGIN')
      throw new ApiError('PM_NOT_ACTIVE', 'Margin calls exist for Portfolio Margin accounts only');
    const calls = this.bus.subscribe('MARGIN_CALL', accountId, 16);
    return new Repeater<RiskSnapshot>(async (push, stop) => {
      // Held in this instance's book while subscribed (a mirror when another instance owns its shard). Taken
      // here, where the stream starts, so that it is released with it: a subscription ended before its
      // first read never runs this and holds nothing.
      const unwatch = this.book.watch(accountId);
      void stop.then(() => {
        unwatch();
        return calls.return?.();
      });
      for await (const _call of calls) {
        const held = this.book.book.exact(accountId);
        if (held)
          await push({
            accountId,
            result: held.result,
            portfolio: held.portfolio,
            book: held.prices,
            at: new Date(),
          });
      }
      stop();
    });
  }

  private arm(accountId: string, level: string | null, fired: boolean): void {
    if (level === null) this.armed.delete(accountId);
    else this.armed.set(accountId, { level: dec(level), levelFloat: Number(level), fired });
  }

  private onDecision(decision: RiskDecision): void {
    const armed = this.armed.get(decision.accountId);
    if (!armed) return;
    const ratio = decision.ratio;
    const near = ratio !== null && Math.abs(ratio - armed.levelFloat) <= NEAR * armed.levelFloat;
    const uniMMR = ratio === null ? null : near ? decision.exact().uniMMR : dec(ratio);
    this.evaluate(decision.accountId, uniMMR);
  }

  /** Evaluations of one account run one after another. */
  private evaluate(accountId: string, uniMMR: Decimal | null): void {
    const previous = this.pending.get(accountId) ?? Promise.resolve();
    const next = previous
      .then(() => this.apply(accountId, uniMMR))
      .catch((err: unknown) => logger.error({ err, accountId }, 'margin call: evaluation failed'))
      .finally(() => {
        if (this.pending.get(accountId) === next) this.pending.delete(accountId);
      });
    this.pending.set(accountId, next);
  }

  private async apply(accountId: string, uniMMR: Decimal | null): Promise<void> {
    const armed = this.armed.get(accountId);
    if (!armed) return;
    const { fire, fired } = marginCallCrossing(uniMMR, armed.level, armed.fired);
    if (fired === armed.fired) return;
    const from = armed.fired;
    armed.fired = fired;
    // Compare-and-set on the flag and the level it was decided for: a level changed meanwhile re-arms instead.
    const result = await this.ds
      .getRepository(AccountEntity)
      .update(
        { id: accountId, marginCallFired: from, marginCallLevel: armed.level },
        { marginCallFired: fired },
      );
    if (fire && result.affected) this.bus.publish('MARGIN_CALL', accountId, { accountId });
  }
}
