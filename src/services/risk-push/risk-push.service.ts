import type { DataSource } from 'typeorm';
import { AccountEntity, PositionEntity, WalletBalanceEntity } from '../../entities';
import { ApiError, notFound } from '../../errors';
import { CoalescingStream } from '../../lib/coalescing-stream';
import { logger } from '../../lib/logger';
import type { EventBus } from '../../pubsub';
import type { Portfolio, PriceBook, RiskResult, RiskStatus } from '../margin';
import type { RiskService } from '../risk/risk.service';
import type { RiskDecision } from '../risk-book/book';
import type { LiveRiskBook } from '../risk-book/live-book';

/** One computed risk of a watched account, with the inputs it came from (for maxWithdraw on it). */
export interface RiskSnapshot {
  accountId: string;
  result: RiskResult;
  portfolio: Portfolio;
  book: PriceBook;
  at: Date;
}

export interface StatusChange {
  accountId: string;
  from: RiskStatus;
  to: RiskStatus;
  snapshot: RiskSnapshot;
}

interface Watch {
  accountId: string;
  account: AccountEntity;
  balances: WalletBalanceEntity[];
  positions: PositionEntity[];
  last: RiskSnapshot | null;
  risk: Set<CoalescingStream<RiskSnapshot>>;
  stopBus: () => void;
  /** Releases the risk book's watch: every decision of a watched account reaches this service. */
  unwatchBook: () => void;
}

/**
 * The live risk push (spec section 5). Accounts with subscribers here are watched in the risk book, which
 * decides every PM account on every price change and reloads an account on each of its committed changes:
 * each decision of a watched account arrives here with the exact engine's result, and goes to the
 * subscribers. The account's own rows are cached here only for its mode and the first value of
 * an account the book does not hold yet. Each subscriber has its own coalescing stream, so a slow one
 * delays nobody.
 */
export class RiskPushService {
  private readonly watches = new Map<string, Watch>();
  private readonly loading = new Map<string, Promise<Watch>>();
  private stopDecisions: (() => void) | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly risk: RiskService,
    private readonly bus: EventBus,
    private readonly liveBook: LiveRiskBook,
  ) {}

  start(): void {
    this.stopDecisions = this.liveBook.onDecision((decision) => this.onDecision(decision));
  }

  stop(): void {
    this.stopDecisions?.();
    for (const watch of this.watches.values()) this.drop(watch);
  }

  /** Watched accounts now (for metrics and tests). */
  get watchedAccounts(): number {
    return this.watches.size;
  }

  /** First the current risk, then every change. PM_NOT_ACTIVE for a CLASSIC account. */
  async subscribeRisk(
    accountId: string,
    minIntervalMs: number,
  ): Promise<AsyncIterableIterator<RiskSnapshot>> {
    const watch = await this.watch(accountId);
    if (watch.account.mode !== 'PORTFOLIO_MARGIN') {
      this.release(watch);
      throw new ApiError('PM_NOT_ACTIVE', 'Live risk exists for Portfolio Margin accounts only');
    }
    const stream: CoalescingStream<RiskSnapshot> = new CoalescingStream(minIntervalMs, () => {
      watch.risk.delete(stream);
      this.release(watch);
    });
    watch.risk.add(stream);
    stream.push(watch.last ?? this.current(watch)!, true);
    return stream;
  }

  private async watch(accountId: string): Promise<Watch> {
    const held = this.watches.get(accountId);
    if (held) return held;
    const pending = this.loading.get(accountId);
    if (pending) return pending;
    const load = this.load(accountId).finally(() => this.loading.delete(accountId));
    this.loading.set(accountId, load);
    return load;
  }

  private async load(accountId: string): Promise<Watch> {
    const feed = this.bus.subscribe('ACCOUNT_CHANGED', accountId, 64);
    const watch: Watch = {
      accountId,
      account: null as unknown as AccountEntity,
      balances: [],
      positions: [],
      last: null,
      risk: new Set(),
      stopBus: () => void feed.return?.(),
      unwatchBook: this.liveBook.watch(accountId),
    };
    try {
      await this.reload(watch);
    } catch (error) {
      watch.stopBus();
      watch.unwatchBook();
      throw error;
    }
    this.watches.set(accountId, watch);
    void (async () => {
      for await (const _change of feed)
        await this.onAccountChanged(watch).catch((err: unknown) =>
          logger.error({ err, accountId }, 'risk push: reload failed'),
        );
    })();
    return watch;
  }

  private async reload(watch: Watch): Promise<void> {
    const [account, balances, positions] = await Promise.all([
      this.ds.getRepository(AccountEntity).findOneBy({ id: watch.accountId }),
      this.ds.getRepository(WalletBalanceEntity).findBy({ accountId: watch.accountId }),
      this.ds.getRepository(PositionEntity).findBy({ accountId: watch.accountId }),
    ]);
    if (!account) throw notFound('Account');
    watch.account = account;
    watch.balances = balances;
    watch.positions = positions;
  }

  private release(watch: Watch): void {
    if (watch.risk.size === 0) this.drop(watch);
  }

  private drop(watch: Watch): void {
    watch.unwatchBook();
    watch.stopBus();
    this.watches.delete(watch.accountId);
  }

  private onDecision(decision: RiskDecision): void {
    const watch = this.watches.get(decision.accountId);
    if (!watch || watch.account.mode !== 'PORTFOLIO_MARGIN') return;
    // The book has not caught up with a change this service already read: nothing stale is pushed.
    if (decision.version < Number(watch.account.version)) return;
    this.publish(watch, {
      accountId: watch.accountId,
      result: decision.exact(),
      portfolio: decision.portfolio(),
      book: decision.prices,
      at: new Date(),
    });
  }

  private async onAccountChanged(watch: Watch): Promise<void> {
    if (!this.watches.has(watch.accountId)) return;
    await this.reload(watch);
  }

  /** Tells subscribers of a new value; a changed status is a kept event. */
  private publish(watch: Watch, snapshot: RiskSnapshot): void {
    const before = watch.last;
    watch.last = snapshot;
    if (before !== null && sameRisk(before.result, snapshot.result)) return;
    const statusChanged = before !== null && before.result.status !== snapshot.result.status;
    for (const s of watch.risk) s.push(snapshot, statusChanged);
  }

  /** The account's risk now: the book's (its inputs at their newest version), else from the rows read here. */
  private current(watch: Watch): RiskSnapshot | null {
    if (watch.account.mode !== 'PORTFOLIO_MARGIN') return (watch.last = null);
    // The book's copy only when it is at least as new as the rows read here (its stream may lag a commit).
    const bookVersion = this.liveBook.book.versionOf(watch.accountId) ?? -1;
    const held =
      bookVersion >= Number(watch.account.version) ? this.liveBook.book.exact(watch.accountId) : undefined;
    const portfolio = held?.portfolio ?? this.risk.portfolio(watch.balances, watch.positions);
    const book = held?.prices ?? this.risk.book();
    watch.last = {
      accountId: watch.accountId,
      result: held?.result ?? this.risk.risk(portfolio, book),
      portfolio,
      book,
      at: new Date(),
    };
    return watch.last;
  }
}

/** Whether a recompute changed nothing a subscriber sees (then nothing is pushed). */
function sameRisk(a: RiskResult, b: RiskResult): boolean {
  const key = (r: RiskResult) =>
    [
      r.status,
      r.accountEquity,
      r.actualEquity,
      r.accountMaintMargin,
      r.accountInitialMargin,
      ...r.assets.flatMap((x) => [x.asset, x.equity, x.valueUsd]),
    ]
      .map(String)
      .join('|');
  return key(a) === key(b);
}
