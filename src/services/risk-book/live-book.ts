import { EventEmitter } from 'node:events';
import { In, MoreThan, type DataSource } from 'typeorm';
import { AccountEntity } from '../../entities';
import { logger } from '../../lib/logger';
import type { Catalog } from '../catalog/catalog';
import type { PriceService } from '../prices/price.service';
import { loadPortfolios } from '../risk/portfolios';
import type { RiskStatus } from '../margin/types';
import { RiskBook, type RiskDecision } from './book';
import { Drain } from './drain';

const PAGE = 1000;

/**
 * The risk book running inside the app: prices -> `setPrices` (after each batch, never inside it) -> dirty
 * accounts -> time-sliced drain -> decisions to the listeners. It holds every Portfolio Margin account of the
 * shards this instance owns (`owns`, see shard-ownership.ts), loaded and kept current by each shard's account
 * stream (shard-feeds.ts), plus, as mirrors, the accounts of other shards that someone watches here: any
 * instance serves any subscriber. It rebuilds the book when the catalogue's parameters change.
 *
 * `loadAll`, `loadWatched` and `reload` have the shape the account stream's target needs
 * (events/account-stream.ts): each load returns the version it read, read before the rows.
 */
export class LiveRiskBook {
  private current: RiskBook;
  private drain: Drain;
  private readonly stops: (() => void)[] = [];
  /** 'loaded' (accountId, version) after each account is (re)loaded: the hook tests wait on. */
  readonly events = new EventEmitter();
  /**
   * Test hook: runs after a load read the accounts' versions and before it reads their rows, so a test can
   * commit a change exactly there (the change must still reach the book).
   */
  betweenReads: ((accountIds: string[]) => Promise<void>) | null = null;
  /** Whether this instance owns the account's shard; every account until ownership is set. */
  private owns: (accountId: string) => boolean = () => true;

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

  /** From now on, accounts of shards this instance does not own are held only while watched. */
  setOwnership(owns: (accountId: string) => boolean): void {
    this.owns = owns;
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

  /**
   * RiskBook.watch, across rebuilds. An account of a shard owned elsewhere is loaded as a mirror while
   * watched (its shard's stream then reloads it on each change) and leaves the book with its last watch.
   */
  watch(accountId: string): () => void {
    this.current.watch(accountId);
    if (!this.current.has(accountId) && !this.owns(accountId))
      void this.reload(accountId).catch((err: unknown) =>
        logger.error({ err, accountId }, 'risk book: mirror load failed'),
      );
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.current.unwatch(accountId);
      if (!this.current.isWatched(accountId) && !this.owns(accountId)) this.current.removeAccount(accountId);
    };
  }

  /** The watched accounts that `include` accepts (a shard owned elsewhere): the mirrors its stream keeps. */
  async loadWatched(include: (accountId: string) => boolean): Promise<Map<string, number>> {
    const ids = [...this.current.watchedIds()].filter(include);
    if (ids.length === 0) return new Map();
    const accounts = await this.ds.getRepository(AccountEntity).findBy({ id: In(ids) });
    return this.loadRows(accounts.filter((a) => a.mode === 'PORTFOLIO_MARGIN'));
  }

  /** Takes out of the book the accounts that `include` accepts and nobody watches (a shard given up). */
  dropUnwatched(include: (accountId: string) => boolean): void {
    const gone = [...this.current.accountIds()].filter((id) => include(id) && !this.current.isWatched(id));
    for (const id of gone) this.current.removeAccount(id);
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
      return Number(account.version);
    }
    return (await this.loadRows([account])).get(accountId) ?? null;
  }

  /** The accounts' version is read before their rows, so a change committed in between reloads them again. */
  private async loadRows(accounts: AccountEntity[]): Promise<Map<string, number>> {
    const versions = new Map(accounts.map((a) => [a.id, Number(a.version)]));
    if (accounts.length === 0) return versions;
    const ids = accounts.map((a) => a.id);
    const known = new Map(accounts.map((a) => [a.id, a.riskStatus as RiskStatus | null]));
    await this.betweenReads?.(ids);
    const portfolios = await loadPortfolios(this.ds, ids);
    for (const id of ids) {
      try {
        this.current.upsertAccount(
          id,
          versions.get(id) as number,
          portfolios.get(id)!,
          known.get(id) ?? null,
        );
        this.events.emit('loaded', id, versions.get(id));
      } catch (err) {
        logger.error({ err, accountId: id }, 'risk book: account not loadable');
      }
    }
    return versions;
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
