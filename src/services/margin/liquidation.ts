import { dec, decMax, decMin, ONE, toWire, ZERO, type Decimal } from '../../lib/decimal';
import { isZeroBalance } from './balance';
import { indexPriceOf, symbolSpecOf } from './lookup';
import { byCodeUnits } from './order';
import { quadraticThrough, solveQuadratic, valueAt } from './quadratic';
import { computeRisk, type RiskResult } from './risk';
import { liquidationThreshold } from './status';
import type { Portfolio, PriceBook, RiskParams } from './types';

export interface LiquidationPrice {
  asset: string;
  currentPrice: Decimal;
  /**
   * X's index price at the liquidation factor, to 18 decimals (half-even, as on the wire); exactly the current
   * price when uniMMR is already at or below the threshold; null when it stays above up to 100x.
   */
  liquidationPrice: Decimal | null;
}

/** Largest factor searched (spec 6: r in (0, 100]). */
const MAX_FACTOR = dec(100);
/** Breakpoints closer than this (relative) are one: a narrower piece could not be fitted reliably. */
const SAME_BREAKPOINT = dec('1e-30');

/**
 * Account-level liquidation prices (spec 6), one per asset with a non-zero PM balance or an open position
 * settling in it or based on it, by asset.
 */
export function liquidationPrices(
  portfolio: Portfolio,
  prices: PriceBook,
  params: RiskParams,
): LiquidationPrice[] {
  const base = computeRisk(portfolio, prices, params);
  return exposedAssets(portfolio, params).map((asset) => {
    const currentPrice = indexPriceOf(prices, asset);
    const r = liquidationFactor(portfolio, prices, params, asset, base);
    return {
      asset,
      currentPrice,
      liquidationPrice: r === null ? null : toWire(currentPrice.times(r)),
    };
  });
}

/**
 * Scale X's index price and the marks of the symbols based on X by r, everything else fixed, and let
 *
 *   f(r) = accountEquity(r) - T x MM(r)          T = the FORCE_LIQUIDATION band's upper threshold (1.05)
 *
 * The answer is the root of f nearest to r = 1 by |ln r| within (0, 100]; r = 1 when f(1) <= 0; none without
 * maintenance margin. Every term of f is a polynomial of degree <= 2 in r between breakpoints:
 *   - E_a is affine in the marks (UM uPnL) or in 1/mark (CM uPnL), so V_X = E_X x r x index_X and every other
 *     V_a are polynomials of degree <= 2 in r, the CM 1/r cancelling against X's index;
 *   - a position's margin (notional x mmr_k - cum_k) x index_settle is too, the CM notional's 1/r again
 *     cancelling, and a loan's margin is linear;
 *   - collateral() is linear between tier floors.
 * The breakpoints are where a notional crosses a bracket floor (UM notional = N_1 r, CM notional = N_1 / r)
 * and where some V_a crosses a tier floor (V_a fitted once as a quadratic). So each piece between consecutive
 * breakpoints is fitted exactly from three interior evaluations and solved in closed form, walking outward
 * from r = 1 in both directions; no crossing can hide between samples.
 */
function liquidationFactor(
  portfolio: Portfolio,
  prices: PriceBook,
  params: RiskParams,
  asset: string,
  base: RiskResult,
): Decimal | null {
  if (base.accountMaintMargin.isZero()) return null;
  const threshold = liquidationThreshold(params.bands);
  const f = (r: Decimal): Decimal => {
    const risk = r.eq(ONE) ? base : computeRisk(portfolio, scaledPrices(prices, params, asset, r), params);
    return risk.accountEquity.minus(threshold.times(risk.accountMaintMargin));
  };
  if (!f(ONE).gt(0)) return ONE;

  const breaks = breakpoints(portfolio, prices, params, asset, base);
  const up = firstRoot(f, ONE, [...breaks.filter((b) => b.gt(ONE)), MAX_FACTOR]);
  // Below 1 only factors at least as near as `up` matter: |ln r| <= |ln up|  <=>  r >= 1 / up.
  const floor = up === null ? ZERO : ONE.div(up);
  const down = firstRoot(f, ONE, [...breaks.filter((b) => b.lt(ONE) && b.gt(floor)).reverse(), floor]);
  // On a tie (down = 1 / up) the falling price is reported.
  return down ?? up;
}

/**
 * Walks the pieces [from, ends[0]], [ends[0], ends[1]], ... away from `from` and returns the first r with
 * f(r) = 0, nearest to `from` within its piece; a piece that already starts at or below 0 (a jump of f at a
 * breakpoint) yields its start. A last end of 0 is open: r must stay positive.
 */
function firstRoot(f: (r: Decimal) => Decimal, from: Decimal, ends: Decimal[]): Decimal | null {
  let start = from;
  for (const end of ends) {
    const lo = decMin(start, end);
    const hi = decMax(start, end);
    const quarter = hi.minus(lo).div(4);
    const center = lo.plus(hi).div(2);
    const q = quadraticThrough(center, quarter, f(center.minus(quarter)), f(center), f(center.plus(quarter)));
    if (!valueAt(q, start).gt(0) && start.gt(0)) return start;
    // Roots within rounding of a piece's end belong to it; a factor within rounding of 0 is a price of 0,
    // which the range (0, 100] excludes (e.g. f = a x r on the lowest piece).
    const slack = hi.times(SAME_BREAKPOINT);
    const inside = solveQuadratic(q, ZERO)
      .filter((r) => r.gte(lo.minus(slack)) && r.lte(hi.plus(slack)))
      .map((r) => decMin(decMax(r, lo), hi))
      .filter((r) => r.gt(slack));
    if (inside.length > 0) return end.gt(start) ? inside[0] : inside[inside.length - 1];
    start = end;
  }
  return null;
}

/** Factors in (0, 100) where some term of f changes formula, ascending, near-duplicates merged. */
function breakpoints(
  portfolio: Portfolio,
  prices: PriceBook,
  params: RiskParams,
  asset: string,
  base: RiskResult,
): Decimal[] {
  const found: Decimal[] = [];
  for (const p of base.positions) {
    const spec = symbolSpecOf(params, p.symbol);
    if (spec.base !== asset) continue;
    for (const b of spec.brackets) {
      if (b.floor.gt(0))
        found.push(spec.contractType === 'UM' ? b.floor.div(p.notional) : p.notional.div(b.floor));
    }
  }

  const half = dec('0.5');
  const below = computeRisk(portfolio, scaledPrices(prices, params, asset, ONE.minus(half)), params);
  const above = computeRisk(portfolio, scaledPrices(prices, params, asset, ONE.plus(half)), params);
  const names = new Set([below, base, above].flatMap((risk) => risk.assets.map((a) => a.asset)));
  for (const name of names) {
    const value = (risk: RiskResult) => risk.assets.find((a) => a.asset === name)?.valueUsd ?? ZERO;
    const v = quadraticThrough(ONE, half, value(below), value(base), value(above));
    for (const tier of params.assets.get(name)?.collateralTiers ?? [])
      found.push(...solveQuadratic(v, tier.floor));
  }

  const sorted = found.filter((r) => r.gt(0) && r.lt(MAX_FACTOR) && !r.eq(ONE)).sort((x, y) => x.cmp(y));
  return sorted.filter((r, i) => i === 0 || r.minus(sorted[i - 1]).gt(r.times(SAME_BREAKPOINT)));
}

/** X's index and the marks of the symbols whose base is X, times r (spec 6). */
function scaledPrices(prices: PriceBook, params: RiskParams, asset: string, r: Decimal): PriceBook {
  const index = new Map(prices.index);
  index.set(asset, indexPriceOf(prices, asset).times(r));
  const mark = new Map(prices.mark);
  for (const [symbol, price] of prices.mark) {
    if (params.symbols.get(symbol)?.base === asset) mark.set(symbol, dec(price).times(r));
  }
  return { index, mark };
}

function exposedAssets(portfolio: Portfolio, params: RiskParams): string[] {
  const assets = new Set<string>();
  for (const b of portfolio.balances) if (!isZeroBalance(b)) assets.add(b.asset);
  for (const p of portfolio.positions) {
    if (p.quantity.isZero()) continue;
    const spec = symbolSpecOf(params, p.symbol);
    assets.add(spec.base).add(spec.settle);
  }
  return [...assets].sort(byCodeUnits);
}
