import { ZERO, type Decimal } from '../../lib/decimal';
import type { CollateralTier } from './types';

/**
 * Tiered collateral, spec 3 (Binance's cross-margin haircut): a positive USD value is cut into the tiers
 * [floor, cap) and each slice counts at its tier's rate; a value <= 0 is a liability and counts in full.
 *
 *   collateral(V) = sum_t rate_t x (min(V, cap_t) - floor_t)   over tiers with floor_t < V,   V > 0
 *   collateral(V) = V                                                                         V <= 0
 *
 * The last tier is open-ended (`riskParamsFromReference` refuses any other tiers).
 */
export function collateralValue(valueUsd: Decimal, tiers: readonly CollateralTier[]): Decimal {
  if (!valueUsd.gt(0)) return valueUsd;
  let counted = ZERO;
  tiers.forEach((tier) => {
    if (!valueUsd.gt(tier.floor)) return;
    const cap = tier.cap;
    const top = cap === null || valueUsd.lt(cap) ? valueUsd : cap;
    counted = counted.plus(top.minus(tier.floor).times(tier.rate));
  });
  return counted;
}

/**
 * The smallest V with collateral(V) >= target, or null when no value reaches it (the tiers left count 0).
 * collateral is continuous and non-decreasing, so on the first slice that reaches the target:
 *
 *   V = target                                      target <= 0
 *   V = floor_t + (target - collateral(floor_t)) / rate_t
 *
 * The division rounds at the Decimal precision; callers that need an exact decision re-check with
 * `collateralValue`.
 */
export function minValueForCollateral(target: Decimal, tiers: readonly CollateralTier[]): Decimal | null {
  if (!target.gt(0)) return target;
  let counted = ZERO;
  for (let i = 0; i < tiers.length; i++) {
    const tier = tiers[i];
    if (tier.rate.isZero()) continue;
    const cap = tier.cap;
    const full = cap === null ? null : counted.plus(cap.minus(tier.floor).times(tier.rate));
    if (full === null || full.gte(target)) return tier.floor.plus(target.minus(counted).div(tier.rate));
    counted = full;
  }
  return null;
}
