import type { PositionEntity, WalletBalanceEntity } from '../../entities';
import type { Catalog } from '../catalog/catalog';

/**
 * Price key -> the accounts whose risk moves with it. Keys are numbers: an asset's index price is its asset
 * number, a futures symbol's mark is assetCount + its symbol number. Each list is a growable Int32Array of
 * account numbers; an account knows its place in each list (kept in its slots), so removal is a swap with the
 * list's last entry, O(1) whatever the list's length.
 */
export class ExposureIndex {
  private readonly lists: Int32Array[];
  private readonly lengths: Int32Array;

  constructor(keys: number) {
    this.lists = Array.from({ length: keys }, () => new Int32Array(4));
    this.lengths = new Int32Array(keys);
  }

  /** Appends the account to the key's list; returns its place there. */
  add(key: number, account: number): number {
    let list = this.lists[key];
    const at = this.lengths[key]++;
    if (at === list.length) {
      const bigger = new Int32Array(list.length * 2);
      bigger.set(list);
      this.lists[key] = list = bigger;
    }
    list[at] = account;
    return at;
  }

  /** Removes the entry at `at`; returns the account moved into `at` (its place changed), or -1. */
  remove(key: number, at: number): number {
    const list = this.lists[key];
    const last = --this.lengths[key];
    if (at === last) return -1;
    list[at] = list[last];
    return list[at];
  }

  /** The accounts exposed to the key: the first `length` entries of `accounts` (do not keep the array). */
  of(key: number): { accounts: Int32Array; length: number } {
    return { accounts: this.lists[key], length: this.lengths[key] };
  }

  /** Accounts exposed to the key. */
  count(key: number): number {
    return this.lengths[key];
  }
}

/** The prices an account's risk depends on: its PM assets' index, its positions' marks and settle assets' index. */
export function exposureOf(
  catalog: Catalog,
  balances: WalletBalanceEntity[],
  positions: PositionEntity[],
): Set<string> {
  const symbols = new Set<string>();
  for (const b of balances) if (b.wallet === 'PORTFOLIO_MARGIN') symbols.add(b.asset);
  for (const p of positions) {
    symbols.add(p.symbol);
    const spec = catalog.findSymbol(p.symbol);
    if (spec) symbols.add(spec.settle);
  }
  return symbols;
}
