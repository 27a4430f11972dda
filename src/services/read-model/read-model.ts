import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { AccountEntity } from '../../entities';
import type { Catalog } from '../catalog/catalog';
import type { PriceSnapshot } from '../prices/snapshot';
import { readAccountRows, readAccounts } from './account-sql';
import { AccountState } from './account-state';

/** What a request reads of an account: its row as read now, and its balances and positions at that version. */
export interface CurrentAccount {
  account: AccountEntity;
  state: AccountState;
}

/** Most ids in one statement (an IN list). */
const MAX_BATCH = 500;

/**
 * Read-through, versioned cache of accounts' balances and positions (issue 10). Every money transaction bumps
 * the account's version under its row lock (events/outbox.ts `recordChange`), so a state held at the version
 * the database shows now is the committed state. A read costs one primary-key read of the account row,
 * issued after the request asked (so a write committed through any instance before it is seen); the row's
 * other columns (vipLevel, marginCallLevel, ...) come from that read, never from the cache. On a miss or an
 * older version, the account's rows are read in one statement and held, least recently used first out,
 * at most `capacity` accounts (0: nothing held, every read goes to the database).
 *
 * Accounts at version 0 have had no money operation; their rows are read each time and not held, so rows
 * written outside the operations before an account's first one (seeds, fixtures) are never hidden.
 *
 * Both reads are batched across concurrent requests: ids asked for during one turn of the event loop go out
 * together in one statement on the next (`setImmediate`), which starts after every one of those requests.
 */
export class AccountReadModel {
  private readonly held = new Map<string, AccountState>();
  private readonly rows: DataLoader<string, AccountEntity | null>;
  private readonly loads: DataLoader<string, CurrentAccount | null>;

  constructor(
    ds: DataSource,
    private readonly prices: PriceSnapshot,
    private readonly catalog: Catalog,
    readonly capacity: number,
  ) {
    const shared = {
      cache: false,
      maxBatchSize: MAX_BATCH,
      batchScheduleFn: (run: () => void) => setImmediate(run),
    };
    this.rows = new DataLoader(async (ids) => {
      const found = await readAccounts(ds, ids);
      return ids.map((id) => found.get(id) ?? null);
    }, shared);
    this.loads = new DataLoader(async (ids) => {
      const found = await readAccountRows(ds, ids);
      return ids.map((id) => {
        const rows = found.get(id);
        if (!rows) return null;
        const state = new AccountState(Number(rows.account.version), rows.balances, rows.positions);
        this.hold(id, state);
        return { account: rows.account, state };
      });
    }, shared);
  }

  /** The account as committed now (null when there is no such account). */
  async current(id: string): Promise<CurrentAccount | null> {
    const account = await this.rows.load(id);
    if (!account) return null;
    const held = this.held.get(id);
    if (held && held.version === Number(account.version)) {
      // Most recently used goes last: the first key is the one to drop.
      this.held.delete(id);
      this.held.set(id, held);
      return { account, state: held };
    }
    return this.loads.load(id);
  }

  /** `compute()` over the state's rows, at the current price and catalogue versions: once per versions. */
  derived<T>(state: AccountState, name: string, compute: () => T): T {
    return state.derive(this.prices.version, this.catalog.version, name, compute);
  }

  /** The price and catalogue versions now, which everything derived from a state is kept for. */
  versions(): { prices: number; catalog: number } {
    return { prices: this.prices.version, catalog: this.catalog.version };
  }

  /** How many accounts are held now. */
  get size(): number {
    return this.held.size;
  }

  private hold(id: string, state: AccountState): void {
    if (this.capacity === 0 || state.version === 0) return;
    const held = this.held.get(id);
    // A slower load of an older version never replaces a newer one.
    if (held && held.version >= state.version) return;
    this.held.delete(id);
    this.held.set(id, state);
    while (this.held.size > this.capacity) this.held.delete(this.held.keys().next().value!);
  }
}
