import { Decimal, dec, decMax, decMin, ZERO } from '../../lib/decimal';
import { minValueForCollateral } from './collateral';
import { assetSpecOf, indexPriceOf } from './lookup';
import { assetTotal } from './balance';
import { computeRisk } from './risk';
import { isReduceOnlyOrWorse } from './status';
import type { Portfolio, PriceBook, RiskParams } from './types';

/**
 * The most of `asset` that may leave the PM wallet now (spec 3, maxWithdraw(a)): 0 in REDUCE_ONLY or worse;
 * otherwise the largest x, a multiple of 10^-precision, with 0 <= x <= max(free, 0) and
 *
 *   accountEquity(x) > maxWithdrawMmMultiple x MM,  accountEquity(x) = others + collateral(V_a - x index_a)
 *
 * strictly: the status table puts uniMMR = 1.2 in REDUCE_ONLY, and a withdrawal never lands there. MM does not
 * change with x (x <= free keeps free + locked >= 0, so no negative-balance margin appears), and collateral is
 * continuous and non-decreasing, so the allowed x form an interval from 0 whose end is near
 * (V_a - V_min) / index_a, V_min = the smallest value whose collateral meets the need
 * (`minValueForCollateral`). That bound, rounded down to the precision, is then confirmed by recomputing the
 * account: x passes and x + 10^-precision does not, unless x is the whole free balance.
 */
export function maxWithdraw(
  portfolio: Portfolio,
  prices: PriceBook,
  params: RiskParams,
  asset: string,
): Decimal {
  const spec = assetSpecOf(params, asset);
  const risk = computeRisk(portfolio, prices, params);
  if (isReduceOnlyOrWorse(risk.status)) return ZERO;
  const free = assetTotal(portfolio.balances, asset, 'free');
  const unit = dec(1).div(dec(10).pow(spec.precision));
  const ceiling = floorTo(decMax(free, ZERO), spec.precision);
  if (ceiling.isZero() || risk.accountMaintMargin.isZero()) return ceiling;

  const required = params.maxWithdrawMmMultiple.times(risk.accountMaintMargin);
  const passes = (x: Decimal): boolean =>
    accountEquityAfter(portfolio, prices, params, asset, x).gt(required);
  if (!risk.accountEquity.gt(required)) return ZERO;

  const current = risk.assets.find((a) => a.asset === asset);
  const valueUsd = current?.valueUsd ?? ZERO;
  const others = risk.accountEquity.minus(current?.collateralValueUsd ?? ZERO);
  const vMin = minValueForCollateral(required.minus(others), spec.collateralTiers);
  const bound = vMin === null ? ZERO : valueUsd.minus(vMin).div(indexPriceOf(prices, asset));
  let x = decMin(floorTo(decMax(bound, ZERO), spec.precision), ceiling);
  while (x.gt(0) && !passes(x)) x = x.minus(unit);
  while (x.lt(ceiling) && passes(x.plus(unit))) x = x.plus(unit);
  return x;
}

function accountEquityAfter(
  portfolio: Portfolio,
  prices: PriceBook,
  params: RiskParams,
  asset: string,
  x: Decimal,
): Decimal {
  let taken = false;
  const balances = portfolio.balances.map((b) => {
    if (taken || b.asset !== asset) return b;
    taken = true;
    return { ...b, free: dec(b.free).minus(x) };
  });
  return computeRisk({ ...portfolio, balances }, prices, params).accountEquity;
}

function floorTo(value: Decimal, places: number): Decimal {
  return value.toDecimalPlaces(places, Decimal.ROUND_FLOOR);
}
