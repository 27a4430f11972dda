import { Decimal, dec, decMin, MAX_AMOUNT, ZERO } from '../../lib/decimal';
import { assetTotal } from './balance';
import { assetSpecOf } from './lookup';
import { computeRisk } from './risk';
import { applyScenario } from './scenario';
import { isReduceOnlyOrWorse } from './status';
import type { Portfolio, PriceBook, RiskParams } from './types';

/**
 * The most of `asset` that `borrow` accepts now (spec section 4): 0 in REDUCE_ONLY or worse; otherwise the
 * largest x, a multiple of 10^-precision, with borrowed + x <= borrowLimit, x <= 10^15, and, after the loan
 * (free + x, borrowed + x, interest + its first hour), accountEquity >= accountInitialMargin.
 *
 * A larger loan never helps that margin test: it adds x to free and to borrowed, so the net balance only
 * loses the first hour's interest, while the loan's initial margin grows. The allowed x are therefore an
 * interval from 0, and a binary search over whole units of the precision finds its end exactly.
 */
export function maxBorrowable(
  portfolio: Portfolio,
  prices: PriceBook,
  params: RiskParams,
  asset: string,
): Decimal {
  const spec = assetSpecOf(params, asset);
  if (isReduceOnlyOrWorse(computeRisk(portfolio, prices, params).status)) return ZERO;
  const borrowed = assetTotal(portfolio.balances, asset, 'borrowed');
  const unit = dec(1).div(dec(10).pow(spec.precision));
  const room = decMin(spec.borrowLimit.minus(borrowed), MAX_AMOUNT);
  const passes = (units: Decimal): boolean => {
    const after = applyScenario(portfolio, prices, params, {
      borrows: [{ asset, amount: units.times(unit) }],
    });
    const risk = computeRisk(after.portfolio, after.prices, params);
    return risk.accountEquity.gte(risk.accountInitialMargin);
  };
  // Invariant: lo units pass, hi + 1 units do not (or exceed the room).
  let hi = room.div(unit).toDecimalPlaces(0, Decimal.ROUND_FLOOR);
  if (hi.lte(0) || !passes(dec(1))) return ZERO;
  let lo = dec(1);
  while (lo.lt(hi)) {
    const mid = lo.plus(hi).plus(1).div(2).toDecimalPlaces(0, Decimal.ROUND_FLOOR);
    if (passes(mid)) lo = mid;
    else hi = mid.minus(1);
  }
  return lo.times(unit);
}

/** The portfolio with `interest` more owed on `asset` (hours started but not charged yet). */
export function withInterestOwed(portfolio: Portfolio, asset: string, interest: Decimal): Portfolio {
  if (interest.isZero()) return portfolio;
  const index = portfolio.balances.findIndex((b) => b.asset === asset);
  const balances =
    index < 0
      ? [...portfolio.balances, { asset, free: ZERO, locked: ZERO, borrowed: ZERO, interest }]
      : portfolio.balances.map((b, i) => (i === index ? { ...b, interest: b.interest.plus(interest) } : b));
  return { ...portfolio, balances };
}
