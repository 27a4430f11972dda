import { In, MoreThan, type DataSource } from 'typeorm';
import { AccountEntity, PositionEntity, WalletBalanceEntity } from '../../entities';
import { logger } from '../../lib/logger';
import type { EventBus } from '../../pubsub';
import type { Catalog } from '../catalog/catalog';
import type { PriceService } from '../prices/price.service';
import { positionInput, walletBalances } from '../risk/risk.service';
import type { RiskStatus } from '../margin/types';
import { RiskBook, type RiskDecision } from './book';
import { Drain } from './drain';

const PAGE = 1000;

/**
 * The risk book running inside the app: prices -> `setPrices` (after each batch, never inside it) -> dirty
 * accounts -> time-sliced drain -> decisions to the listeners. It loads every Portfolio Margin account
 * (`loadAll`), reloads one on request (`reload`), and rebuilds the book when the catalogue's parameters change.
 *
 * `loadAll` and `reload` have the shape the account stream's target needs (events/account-stream.ts): each load
 * returns the version it read. Until an account stream feeds it, `follow` reloads an account on
 * every ACCOUNT_CHANGED event of the bus (its '*' topic carries every account's changes).
 */
export class LiveRiskBook {
  private current: RiskBook;
  private drain: Drain;
  private readonly stops: (() => void)[] = [];
  /** Versions when the account rows carry none (before account versions exist): one counter per process. */
  private localVersion = 0;
  /** accountId -> another change arrived during its reload */
  private readonly reloading = new Map<string, boolean>();

  constructor(
    private readonly ds: DataSource,
    private readonly catalog: Catalog,
    private readonly prices: PriceService,
  ) {
    this.current = new RiskBook(catalog.riskParams);
    const snapshot = prices.snapshot.book();
    this.current.setPrices(prices.snapshot, [...snapshot.index.keys(), ...snapshot.mark.keys()]);
    this.drain = new Drain(this.current);
  }

  get book(): RiskBook {
    return this.current;
  }

  /** Prices and catalogue changes reach the book from now on. */
  start(): void {
    this.stops.push(
      this.prices.onChange((changed) =>
        this.current.setPrices(
          this.prices.snapshot,
          changed.map((p) => p.symbol),
        ),
      ),
      this.catalog.onChange(() => this.rebuild()),
    );
  }

  /** Reloads an account on each of its committed changes, from the bus (a stop-gap for the account stream). */
  follow(bus: EventBus): void {
    const changes = bus.subscribe('ACCOUNT_CHANGED', '*', 4096);
    this.stops.push(() => void changes.return?.());
    void (async () => {
      for await (const change of changes) this.reloadSoon(change.accountId);
    })();
  }

  /** One reload at a time per account; changes arriving meanwhile cost one more reload, not one each. */
  private reloadSoon(accountId: string): void {
    if (this.reloading.has(accountId)) {
      this.reloading.set(accountId, true);
      return;
    }
    this.reloading.set(accountId, false);
    void this.reload(accountId)
      .catch((err: unknown) => logger.error({ err, accountId }, 'risk book: reload failed'))
      .finally(() => {
        const again = this.reloading.get(accountId);
        this.reloading.delete(accountId);
        if (again) this.reloadSoon(accountId);
      });
  }

  stop(): void {
    for (const stop of this.stops.splice(0)) stop();
    this.drain.stop();
  }

  /** Every decision of the book (across rebuilds), as RiskBook.onDecision. */
  onDecision(listener: (decision: RiskDecision) => void, options: { all?: boolean } = {}): () => void {
    this.current.onDecision(listener, options);
    // A rebuilt book carries the listener over: removal goes to whichever book holds it then.
    return () => this.current.offDecision(listener);
  }

  /** RiskBook.watch, across rebuilds. */
  watch(accountId: string): () => void {
    this.current.watch(accountId);
    let released = false;
    return () => {
      if (!released) this.current.unwatch(accountId);
      released = true;
    };
  }

  /** Resolves when every dirty account is decided (tests). */
  idle(): Promise<void> {
    return this.drain.idle();
  }

  /**
   * Loads every PM account that `include` accepts (all by default); returns the version each load read.
   * A new account enters the book with its persisted status (`riskStatus`), so a restart announces no
   * transition again.
   */
  async loadAll(include: (accountId: string) => boolean = () => true): Promise<Map<string, number>> {
    const versions = new Map<string, number>();
    let after = '0';
    for (;;) {
      const accounts = await this.ds.getRepository(AccountEntity).find({
        where: { mode: 'PORTFOLIO_MARGIN', id: MoreThan(after) },
        order: { id: 'ASC' },
        take: PAGE,
      });
      if (accounts.length === 0) return versions;
      after = accounts[accounts.length - 1].id;
      const wanted = accounts.filter((a) => include(a.id));
      for (const [accountId, version] of await this.loadRows(wanted)) versions.set(accountId, version);
    }
  }

  /** Loads one account again (out of the book when it is gone or no longer PM); null when it does not exist. */
  async reload(accountId: string): Promise<number | null> {
    const account = await this.ds.getRepository(AccountEntity).findOneBy({ id: accountId });
    if (!account) {
      this.current.removeAccount(accountId);
      return null;
    }
    if (account.mode !== 'PORTFOLIO_MARGIN') {
      this.current.removeAccount(accountId);
      return this.versionOf(account);
    }
    return (await this.loadRows([account])).get(accountId) ?? null;
  }

  /** The accounts' version is read before their rows, so a change committed in between reloads them again. */
  private async loadRows(accounts: AccountEntity[]): Promise<Map<string, number>> {
    const versions = new Map(accounts.map((a) => [a.id, this.versionOf(a)]));
    if (accounts.length === 0) return versions;
    const ids = accounts.map((a) => a.id);
    const known = new Map(accounts.map((a) => [a.id, a.riskStatus as RiskStatus | null]));
    const [balances, positions] = await Promise.all([
      this.ds.getRepository(WalletBalanceEntity).findBy({ accountId: In(ids), wallet: 'PORTFOLIO_MARGIN' }),
      this.ds.getRepository(PositionEntity).findBy({ accountId: In(ids) }),
    ]);
    for (const id of ids) {
      const portfolio = {
        balances: walletBalances(
          balances.filter((b) => b.accountId === id),
          'PORTFOLIO_MARGIN',
        ),
        positions: positions.filter((p) => p.accountId === id).map(positionInput),
      };
      try {
        this.current.upsertAccount(id, versions.get(id) as number, portfolio, known.get(id) ?? null);
      } catch (err) {
        logger.error({ err, accountId: id }, 'risk book: account not loadable');
      }
    }
    return versions;
  }

  private versionOf(account: AccountEntity): number {
    const stored = (account as AccountEntity & { version?: number | string }).version;
    return stored === undefined ? ++this.localVersion : Number(stored);
  }

  private rebuild(): void {
    const { book, dropped } = this.current.withParams(this.catalog.riskParams);
    if (dropped.length > 0)
      logger.warn({ dropped: dropped.length }, 'risk book: accounts the new catalogue cannot take');
    this.drain.stop();
    this.current = book;
    this.drain = new Drain(book);
  }
}
