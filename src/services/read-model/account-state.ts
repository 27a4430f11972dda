import type { PositionEntity, WalletBalanceEntity } from '../../entities';

/** Most values derived from one state at one price and catalogue version (views, risk, whole answers). */
const MAX_DERIVED = 24;

/**
 * An account's balances and positions at one account version, never changed afterwards, with what has been
 * computed from them (wallet views, risk, answers) at one price version and one catalogue version: those go
 * when either version moves, and the state itself is replaced when the account's version moves.
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
    const known = this.recall<T>(prices, catalog, name);
    if (known !== undefined) return known;
    const value = compute();
    this.remember(prices, catalog, name, value);
    return value;
  }

  /** What was remembered under `name` at these versions, if anything. */
  recall<T>(prices: number, catalog: number, name: string): T | undefined {
    if (this.derivedAt.prices !== prices || this.derivedAt.catalog !== catalog) return undefined;
    return this.derived.get(name) as T | undefined;
  }

  /** Keeps `value` under `name` at these versions (nothing when older than what is held, or when full). */
  remember(prices: number, catalog: number, name: string, value: unknown): void {
    if (this.derivedAt.prices !== prices || this.derivedAt.catalog !== catalog) {
      if (prices < this.derivedAt.prices || catalog < this.derivedAt.catalog) return;
      this.derived.clear();
      this.derivedAt = { prices, catalog };
    }
    if (this.derived.size < MAX_DERIVED) this.derived.set(name, value);
  }
}
