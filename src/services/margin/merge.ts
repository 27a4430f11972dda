import { ZERO } from '../../lib/decimal';
import { isZeroBalance } from './balance';
import { byCodeUnits } from './order';
import type { BalanceInput } from './types';

/**
 * Wallets merged per asset (spec 2, activation): free, locked, borrowed and interest each summed, so that
 * nothing is lost; rows that are zero in all four are dropped; by asset. The activation preview and the real
 * activation both use this.
 */
export function mergeBalances(...wallets: BalanceInput[][]): BalanceInput[] {
  const merged = new Map<string, BalanceInput>();
  for (const b of wallets.flat()) {
    const m = merged.get(b.asset) ?? {
      asset: b.asset,
      free: ZERO,
      locked: ZERO,
      borrowed: ZERO,
      interest: ZERO,
    };
    merged.set(b.asset, {
      asset: b.asset,
      free: m.free.plus(b.free),
      locked: m.locked.plus(b.locked),
      borrowed: m.borrowed.plus(b.borrowed),
      interest: m.interest.plus(b.interest),
    });
  }
  return [...merged.values()].filter((b) => !isZeroBalance(b)).sort((x, y) => byCodeUnits(x.asset, y.asset));
}
