import type { DataSource } from 'typeorm';
import { AccountEntity, PositionEntity, WalletBalanceEntity } from '../../entities';
import { ApiError, notFound } from '../../errors';
import { CoalescingStream } from '../../lib/coalescing-stream';
import { logger } from '../../lib/logger';
import type { EventBus } from '../../pubsub';
import type { AccountService } from '../accounts/account.service';
import type { WalletView } from '../accounts/wallets';
import type { Portfolio, PriceBook, RiskResult, RiskStatus } from '../margin';
import type { PricePoint, PriceService } from '../prices/price.service';
import type { RiskService } from '../risk/risk.service';
import type { Catalog } from '../catalog/catalog';
import { exposureOf } from '../risk-book/exposure';

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

export interface WalletsChanged {
  accountId: string;
  wallets: WalletView[];
}

interface Watch {
  accountId: string;
  account: AccountEntity;
  balances: WalletBalanceEntity[];
  positions: PositionEntity[];
  /** Price symbols whose move changes this account's risk. */
  exposure: Set<string>;
  last: RiskSnapshot | null;
  risk: Set<CoalescingStream<RiskSnapshot>>;
  status: Set<CoalescingStream<StatusChange>>;
  wallets: Set<CoalescingStream<WalletsChanged>>;
  stopBus: () => void;
}

/**
 * The live risk push (spec section 5). Accounts with subscribers here are watched: their rows are cached,
 * a price batch recomputes only the watched accounts exposed to a moved symbol (pure engine, no database),
 * and a committed change of the account (from any instance, over the bus) reloads its rows first. Each
 * subscriber has its own coalescing stream, so a slow one delays nobody.
 */
export class RiskPushService {
  private readonly watches = new Map<string, Watch>();
  private readonly loading = new Map<string, Promise<Watch>>();
  /** price symbol -> watched accounts exposed to it */
  private readonly exposed = new Map<string, Set<string>>();
  private stopPrices: (() => void) | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly catalog: Catalog,
    private readonly prices: PriceService,
    private readonly risk: RiskService,
    private readonly accounts: AccountService,
    private readonly bus: EventBus,
  ) {}

  start(): void {
    this.stopPrices = this.prices.onChange((changed) => this.onPrices(changed));
  }

  stop(): void {
    this.stopPrices?.();
    for (const watch of this.watches.values()) this.drop(watch);
  }

  /** After a catalogue change: every watched account's exposure and risk under the new parameters. */
  onCatalogChanged(): void {
    for (const watch of this.watches.values()) {
      this.index(watch, exposureOf(this.catalog, watch.balances, watch.positions));
      this.publishRisk(watch);
    }
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
    stream.push(watch.last ?? this.recompute(watch)!, true);
    return stream;
  }

  async subscribeStatus(accountId: string): Promise<AsyncIterableIterator<StatusChange>> {
    const watch = await this.watch(accountId);
    if (watch.last === null && watch.account.mode === 'PORTFOLIO_MARGIN') this.recompute(watch);
    const stream: CoalescingStream<StatusChange> = new CoalescingStream(0, () => {
      watch.status.delete(stream);
      this.release(watch);
    });
    watch.status.add(stream);
    return stream;
  }

  async subscribeWallets(accountId: string): Promise<AsyncIterableIterator<WalletsChanged>> {
    const watch = await this.watch(accountId);
    const stream: CoalescingStream<WalletsChanged> = new CoalescingStream(0, () => {
      watch.wallets.delete(stream);
      this.release(watch);
    });
    watch.wallets.add(stream);
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
      exposure: new Set(),
      last: null,
      risk: new Set(),
      status: new Set(),
      wallets: new Set(),
      stopBus: () => void feed.return?.(),
    };
    try {
      await this.reload(watch);
    } catch (error) {
      watch.stopBus();
      throw error;
    }
    this.watches.set(accountId, watch);
    void (async () => {
      for await (const change of feed)
        await this.onAccountChanged(watch, change.wallets).catch((err: unknown) =>
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
    this.index(watch, exposureOf(this.catalog, balances, positions));
  }

  private index(watch: Watch, exposure: Set<string>): void {
    for (const symbol of watch.exposure) this.exposed.get(symbol)?.delete(watch.accountId);
    watch.exposure = exposure;
    for (const symbol of exposure) {
      let accounts = this.exposed.get(symbol);
      if (!accounts) this.exposed.set(symbol, (accounts = new Set()));
      accounts.add(watch.accountId);
    }
  }

  private release(watch: Watch): void {
    if (watch.risk.size + watch.status.size + watch.wallets.size === 0) this.drop(watch);
  }

  private drop(watch: Watch): void {
    this.index(watch, new Set());
    watch.stopBus();
    this.watches.delete(watch.accountId);
  }

  private onPrices(changed: PricePoint[]): void {
    const hit = new Set<string>();
    for (const p of changed) for (const id of this.exposed.get(p.symbol) ?? []) hit.add(id);
    for (const id of hit) {
      const watch = this.watches.get(id);
      if (watch) this.publishRisk(watch);
    }
  }

  private async onAccountChanged(watch: Watch, wallets: string[]): Promise<void> {
    if (!this.watches.has(watch.accountId)) return;
    await this.reload(watch);
    this.publishRisk(watch);
    if (wallets.length > 0 && watch.wallets.size > 0) {
      const views = this.accounts
        .wallets(watch.account, watch.balances)
        .filter((w) => wallets.includes(w.type));
      const event = { accountId: watch.accountId, wallets: views };
      for (const s of watch.wallets) s.push(event, true);
    }
  }

  /** Recomputes with the current prices and tells subscribers; a changed status is a kept event. */
  private publishRisk(watch: Watch): void {
    const before = watch.last;
    let snapshot: RiskSnapshot | null;
    try {
      snapshot = this.recompute(watch);
    } catch (error) {
      // A price went missing: keep the last good value rather than push a wrong one.
      logger.warn({ accountId: watch.accountId, err: error }, 'risk push: recompute failed');
      return;
    }
    if (!snapshot || (before !== null && sameRisk(before.result, snapshot.result))) return;
    const statusChanged = before !== null && before.result.status !== snapshot.result.status;
    for (const s of watch.risk) s.push(snapshot, statusChanged);
    if (statusChanged) {
      const change = {
        accountId: watch.accountId,
        from: before.result.status,
        to: snapshot.result.status,
        snapshot,
      };
      for (const s of watch.status) s.push(change, true);
    }
  }

  private recompute(watch: Watch): RiskSnapshot | null {
    if (watch.account.mode !== 'PORTFOLIO_MARGIN') return (watch.last = null);
    const portfolio = this.risk.portfolio(watch.balances, watch.positions);
    const book = this.risk.book();
    watch.last = {
      accountId: watch.accountId,
      result: this.risk.risk(portfolio, book),
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
