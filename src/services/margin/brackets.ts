import type { Decimal } from '../../lib/decimal';
import type { Bracket } from './types';

/**
 * The one bracket policy (spec 3): the bracket whose [floor, cap) holds the amount (UM: notional in the quote
 * asset; CM: notional in coin). Beyond the last cap the last bracket applies: position limits are the
 * trading engine's, not the risk engine's.
 */
export function bracketFor(amount: Decimal, brackets: readonly Bracket[]): Bracket {
  for (const b of brackets) {
    if (b.cap === null || amount.lt(b.cap)) return b;
  }
  return brackets[brackets.length - 1];
}

/**
 * Maintenance margin in the margin asset (spec 3): notional x mmr_k - cum_k with k = bracketFor(notional).
 * `cum_k = cum_{k-1} + floor_k x (mmr_k - mmr_{k-1})` keeps it continuous at every bracket edge.
 */
export function maintenanceMargin(notional: Decimal, brackets: readonly Bracket[]): Decimal {
  const b = bracketFor(notional, brackets);
  return notional.times(b.mmr).minus(b.cum);
}

/** Spec 3: `cum_1 = 0`, `cum_k = cum_{k-1} + floor_k x (mmr_k - mmr_{k-1})`, for brackets given without it. */
export function bracketCums(brackets: readonly { floor: Decimal; mmr: Decimal }[]): Decimal[] {
  const cums: Decimal[] = [];
  brackets.forEach((b, k) => {
    cums.push(k === 0 ? b.floor.times(0) : cums[k - 1].plus(b.floor.times(b.mmr.minus(brackets[k - 1].mmr))));
  });
  return cums;
}
