import type { DataSource } from 'typeorm';
import { AccountEntity, PositionEntity, WalletBalanceEntity } from '../../entities';
import { ApiError, notFound } from '../../errors';
import { CoalescingStream } from '../../lib/coalescing-stream';
import { logger } from '../../lib/logger';
import type { PullableIterator } from '../../lib/pullable';
import { Tally } from '../../lib/tally';
import type { EventBus } from '../../pubsub';
import type { Portfolio, RiskStatus, RiskTerms } from '../margin';
import type { RiskService } from '../risk/risk.service';
import type { RiskDecision } from '../risk-book/book';
import type { LiveRiskBook } from '../risk-book/live-book';
import { LazySnapshot, sameRisk, type RiskSnapshot } from './snapshot';

export type { RiskSnapshot } from './snapshot';

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
  /**
   * The book's inputs of the account, decoded once per version (not once per decision), with the exact terms
   * last computed for them: the next decision recomputes only the terms its prices moved.
   */
  decoded: { version: number; portfolio: Portfolio; terms: RiskTerms | null } | null;
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
  /** Watched accounts (one count each): metrics, and the hook leak tests wait on. */
  readonly watched = new Tally();
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
    return this.watched.total;
  }

  /** First the current risk, then every change. PM_NOT_ACTIVE for a CLASSIC account. */
  subscribeRisk(accountId: string, minIntervalMs: number): Promise<PullableIterator<RiskSnapshot>> {
    return this.attach(accountId, (watch) => {
      if (watch.account.mode !== 'PORTFOLIO_MARGIN') {
        this.release(watch);
        throw new ApiError('PM_NOT_ACTIVE', 'Live risk exists for Portfolio Margin accounts only');
      }
      const stream: CoalescingStream<RiskSnapshot> = new CoalescingStream(
        minIntervalMs,
        () => {
          watch.risk.delete(stream);
          this.release(watch);
        },
        { unchanged: sameRisk },
      );
      watch.risk.add(stream);
      stream.push(watch.last ?? this.current(watch)!);
      return stream;
    });
  }

  /**
   * Runs `to` on the account's watch in the same turn as it is found held. Several subscribers may await one
   * load, and the first may leave (dropping the watch) before the next resumes: that one then takes a fresh
   * watch rather than joining a dropped one that no longer hears anything.
   */
  private async attach<S>(accountId: string, to: (watch: Watch) => S): Promise<S> {
    for (;;) {
      const watch = await this.watch(accountId);
      if (this.watches.get(accountId) === watch) return to(watch);
    }
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
      decoded: null,
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
    this.watched.add(accountId);
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
    if (this.watches.delete(watch.accountId)) this.watched.remove(watch.accountId);
  }

  /**
   * A decision of a watched account becomes a lazy snapshot in every subscriber's slot: the exact engine runs
   * when a subscriber takes it (once for all of them), so decisions replaced before anyone took them cost
   * nothing more.
   */
  private onDecision(decision: RiskDecision): void {
    const watch = this.watches.get(decision.accountId);
    if (!watch || watch.account.mode !== 'PORTFOLIO_MARGIN') return;
    // The book has not caught up with a change this service already read: nothing stale is pushed.
    if (decision.version < Number(watch.account.version)) return;
    if (watch.decoded?.version !== decision.version)
      watch.decoded = { version: decision.version, portfolio: decision.portfolio(), terms: null };
    const decoded = watch.decoded;
    const snapshot = new LazySnapshot(
      watch.accountId,
      decoded.portfolio,
      decision.prices,
      (portfolio, book) => {
        decoded.terms = this.risk.riskTerms(portfolio, book, decoded.terms);
        return decoded.terms.result;
      },
    );
    watch.last = snapshot;
    for (const s of watch.risk) s.push(snapshot);
  }

  private async onAccountChanged(watch: Watch): Promise<void> {
    if (!this.watches.has(watch.accountId)) return;
    await this.reload(watch);
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
