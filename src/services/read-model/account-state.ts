import type { PositionEntity, WalletBalanceEntity } from '../../entities';

/**
 * An account's balances and positions at one account version, never changed afterwards, with what has been
 * computed from them (wallet views, risk) at one price version and one catalogue version: those go when
 * either version moves, and the state itself is replaced when the account's version moves.
 */
export class AccountState {
  private derivedAt = { prices: -1, catalog: -1 };
  private readonly derived = new Map<string, unknown>();

  constructor(
    readonly version: number,
    readonly balances: WalletBalanceEntity[],
    readonly positions: PositionEntity[],
  ) {}

  /** `compute()`'s value for these rows at the given price and catalogue versions, computed once per versions. */
  derive<T>(prices: number, catalog: number, name: string, compute: () => T): T {
    if (this.derivedAt.prices !== prices || this.derivedAt.catalog !== catalog) {
      this.derived.clear();
      this.derivedAt = { prices, catalog };
    }
    if (this.derived.has(name)) return this.derived.get(name) as T;
    const value = compute();
    this.derived.set(name, value);
    return value;
  }
}
