import { dec, decMax, decPlus, ZERO, type Decimal } from '../../lib/decimal';
import { debt, isZeroBalance, marginedLiability, netBalance } from './balance';
import { collateralValue } from './collateral';
import { assetSpecOf, indexPriceOf, markPriceOf, symbolSpecOf } from './lookup';
import { byCodeUnits } from './order';
import { positionRisk, type PositionRisk } from './positions';
import { statusFor } from './status';
import type { Portfolio, PositionInput, PriceBook, RiskParams, RiskStatus, SymbolSpec } from './types';

export type { PositionRisk } from './positions';

export interface AssetRisk {
  asset: string;
  /** E_a = net balance + uPnL settling in the asset, in the asset. */
  equity: Decimal;
  /** V_a = E_a x index_a. */
  valueUsd: Decimal;
  /** adj_a = collateral(V_a): tiered when positive, in full when not. */
  collateralValueUsd: Decimal;
  /** Positions settling in the asset plus the asset's loan and negative balance. */
  maintMarginUsd: Decimal;
  initialMarginUsd: Decimal;
}

export interface RiskResult {
  actualEquity: Decimal;
  accountEquity: Decimal;
  accountMaintMargin: Decimal;
  accountInitialMargin: Decimal;
  /** accountEquity / accountMaintMargin at full Decimal precision; null with no maintenance margin. */
  uniMMR: Decimal | null;
  status: RiskStatus;
  availableBalance: Decimal;
  maxWithdrawUsd: Decimal;
  /** Every asset with a non-zero balance field, uPnL or margin, by symbol. */
  assets: AssetRisk[];
  /** Open positions, by symbol. */
  positions: PositionRisk[];
}

/**
 * The unified account risk of spec 3, exact:
 *
 *   E_a = net_a + uPnL_a        V_a = E_a x index_a        adj_a = collateral(V_a)
 *   actualEquity = sum V_a      accountEquity = sum adj_a
 *   MM = sum positions (notional x mmr_k - cum_k) x index_settle
 *      + sum assets L_a x loanMMR_a x index_a
 *   IM = sum positions notional / leverage x index_settle
 *      + sum assets L_a x index_a / (marginLeverage_a - 1)
 *   L_a = borrowed_a + interest_a + max(-(free_a + locked_a), 0)     (a loan, and a negative balance that is not one)
 *   uniMMR = accountEquity / MM     availableBalance = max(accountEquity - IM, 0)
 *   maxWithdrawUsd = max(accountEquity - maxWithdrawMmMultiple x MM, 0)
 *
 * A price is required for every asset that contributes and for every open position's mark and settle asset.
 */
export function computeRisk(portfolio: Portfolio, prices: PriceBook, params: RiskParams): RiskResult {
  return riskTerms(portfolio, prices, params, null).result;
}

/**
 * A computed risk with every term it was summed from and the prices each term used, so that the same
 * portfolio at the next prices recomputes only what moved (`riskTerms`).
 */
export interface RiskTerms {
  readonly portfolio: Portfolio;
  readonly params: RiskParams;
  readonly result: RiskResult;
  readonly layout: Layout;
  /** Open positions, in the portfolio's order. */
  readonly positions: readonly PositionTerm[];
  /** Every asset with a balance or a position settling in it (layout order). */
  readonly assets: readonly AssetTerm[];
}

/**
 * computeRisk of `portfolio` at `prices`, reusing the terms of `previous` (the same portfolio and params at
 * earlier prices) whose prices did not move, as Mango v4's health cache does:
 *
 *   a position is recomputed when its mark or its settle asset's index moved;
 *   an asset when its index moved or a position settling in it was recomputed;
 *   the account's sums are re-added over the assets.
 *
 * Each term is the same function of the same inputs, and the sums run in the same order, so the result is
 * computeRisk's digit for digit; only the work differs. Without a usable `previous`, everything is computed.
 */
export function riskTerms(
  portfolio: Portfolio,
  prices: PriceBook,
  params: RiskParams,
  previous: RiskTerms | null,
): RiskTerms {
  const was = previous && previous.portfolio === portfolio && previous.params === params ? previous : null;
  const positions: PositionTerm[] = [];
  const moved = new Set<string>();
  const price = (input: PositionInput, spec: SymbolSpec, k: number): void => {
    const last = was?.positions[k];
    // The very price objects it used (a price book keeps the unmoved ones): valid then, the same now.
    if (
      last &&
      prices.mark.get(input.symbol) === last.markPrice &&
      prices.index.get(spec.settle) === last.settleIndex
    ) {
      positions.push(last);
      return;
    }
    const markPrice = markPriceOf(prices, input.symbol);
    const settleIndex = indexPriceOf(prices, spec.settle);
    if (last && last.markPrice.eq(markPrice) && last.settleIndex.eq(settleIndex)) {
      positions.push(last);
      return;
    }
    positions.push({ markPrice, settleIndex, risk: positionRisk(input, spec, markPrice, settleIndex) });
    moved.add(spec.settle);
  };
  // A first computation prices each position as the layout reaches it, so that errors come in input order.
  const layout = was?.layout ?? layoutOf(portfolio, params, price);
  if (was) layout.positions.forEach(({ input, spec }, k) => price(input, spec, k));

  const assets: AssetTerm[] = [];
  for (let i = 0; i < layout.assets.length; i++) {
    const line = layout.assets[i];
    const last = was?.assets[i];
    // Positions unmoved: the same sums, so the asset contributes as it did, and only its index can move it.
    if (last && !moved.has(line.asset)) {
      if (last.risk === null || prices.index.get(line.asset) === last.index) {
        assets.push(last);
        continue;
      }
      const index = indexPriceOf(prices, line.asset);
      assets.push(
        index.eq(last.index!)
          ? last
          : { pnl: last.pnl, mm: last.mm, im: last.im, index, risk: assetRisk(line, last, index, params) },
      );
      continue;
    }
    let pnl = ZERO;
    let mm = ZERO;
    let im = ZERO;
    for (const k of line.settling) {
      const risk = positions[k].risk;
      pnl = decPlus(pnl, risk.unrealizedPnl);
      mm = decPlus(mm, risk.maintenanceMarginUsd);
      im = decPlus(im, risk.initialMarginUsd);
    }
    const contributes = line.nonZero || !pnl.isZero() || !mm.isZero() || !im.isZero();
    const index = contributes ? indexPriceOf(prices, line.asset) : null;
    const sums = { pnl, mm, im, index, risk: null as AssetRisk | null };
    if (index) sums.risk = assetRisk(line, sums, index, params);
    assets.push(sums);
  }

  const assetRisks: AssetRisk[] = [];
  for (const i of layout.sortedAssets) {
    const risk = assets[i].risk;
    if (risk) assetRisks.push(risk);
  }
  return {
    portfolio,
    params,
    layout,
    positions,
    assets,
    result: totals(
      assetRisks,
      layout.sortedPositions.map((k) => positions[k].risk),
      params,
    ),
  };
}

/** What a portfolio's risk is summed from, whatever the prices: validated once per portfolio and params. */
interface Layout {
  positions: { input: PositionInput; spec: SymbolSpec }[];
  /** Balances' assets in the portfolio's order, then the settle assets of positions not among them. */
  assets: AssetLine[];
  /** Indexes into `assets` by code units (how the result lists them); `positions` likewise by symbol. */
  sortedAssets: number[];
  sortedPositions: number[];
}

/** One asset's balance fields summed over the balances that hold it, and the positions settling in it. */
interface AssetLine {
  asset: string;
  net: Decimal;
  /** free + locked. */
  held: Decimal;
  debt: Decimal;
  nonZero: boolean;
  /** Indexes into `Layout.positions`, in the portfolio's order. */
  settling: number[];
}

interface PositionTerm {
  markPrice: Decimal;
  settleIndex: Decimal;
  risk: PositionRisk;
}

/** An asset's position sums; `risk` null when the asset contributes nothing (then it has no index either). */
interface AssetTerm extends PositionSums {
  index: Decimal | null;
  risk: AssetRisk | null;
}

/** USD sums of the positions settling in an asset. */
interface PositionSums {
  pnl: Decimal;
  mm: Decimal;
  im: Decimal;
}

/** The layout of a portfolio; `visit` sees each open position as it is validated. */
function layoutOf(
  portfolio: Portfolio,
  params: RiskParams,
  visit: (input: PositionInput, spec: SymbolSpec, k: number) => void,
): Layout {
  const lines = new Map<string, AssetLine>();
  const lineOf = (asset: string): AssetLine => {
    let line = lines.get(asset);
    if (!line) {
      line = { asset, net: ZERO, held: ZERO, debt: ZERO, nonZero: false, settling: [] };
      lines.set(asset, line);
    }
    return line;
  };
  for (const b of portfolio.balances) {
    assetSpecOf(params, b.asset);
    const line = lineOf(b.asset);
    line.net = decPlus(line.net, netBalance(b));
    line.held = decPlus(decPlus(line.held, b.free), b.locked);
    line.debt = decPlus(line.debt, debt(b));
    line.nonZero ||= !isZeroBalance(b);
  }
  const positions: Layout['positions'] = [];
  const seen = new Set<string>();
  for (const input of portfolio.positions) {
    const spec = symbolSpecOf(params, input.symbol);
    if (seen.has(input.symbol)) {
      throw new Error(`more than one position in ${input.symbol}: positions are net, one per symbol`);
    }
    seen.add(input.symbol);
    if (input.quantity.isZero()) continue;
    visit(input, spec, positions.length);
    lineOf(spec.settle).settling.push(positions.length);
    positions.push({ input, spec });
  }
  const assets = [...lines.values()];
  return {
    positions,
    assets,
    sortedAssets: assets.map((_, i) => i).sort((i, j) => byCodeUnits(assets[i].asset, assets[j].asset)),
    sortedPositions: positions
      .map((_, k) => k)
      .sort((i, j) => byCodeUnits(positions[i].input.symbol, positions[j].input.symbol)),
  };
}

/** The account's sums over its assets, in the order listed, and what follows from them. */
function totals(assets: AssetRisk[], positions: PositionRisk[], params: RiskParams): RiskResult {
  let actualEquity = ZERO;
  let accountEquity = ZERO;
  let accountMaintMargin = ZERO;
  let accountInitialMargin = ZERO;
  for (const a of assets) {
    actualEquity = decPlus(actualEquity, a.valueUsd);
    accountEquity = decPlus(accountEquity, a.collateralValueUsd);
    accountMaintMargin = decPlus(accountMaintMargin, a.maintMarginUsd);
    accountInitialMargin = decPlus(accountInitialMargin, a.initialMarginUsd);
  }
  return {
    actualEquity,
    accountEquity,
    accountMaintMargin,
    accountInitialMargin,
    uniMMR: accountMaintMargin.isZero() ? null : accountEquity.div(accountMaintMargin),
    status: statusFor(accountEquity, accountMaintMargin, params.bands),
    availableBalance: decMax(accountEquity.minus(accountInitialMargin), ZERO),
    maxWithdrawUsd: decMax(accountEquity.minus(params.maxWithdrawMmMultiple.times(accountMaintMargin)), ZERO),
    assets,
    positions,
  };
}

/** One asset's line of spec 3; the loan's and negative balance's margins join those of the positions settling in it. */
function assetRisk(line: AssetLine, s: PositionSums, index: Decimal, params: RiskParams): AssetRisk {
  const spec = assetSpecOf(params, line.asset);
  const equity = decPlus(line.net, s.pnl);
  const valueUsd = equity.times(index);
  const liability = marginedLiability(line.debt, line.held);
  // Most assets carry no loan: their margins are the positions' alone, without multiplying zeros.
  const liabilityUsd = liability.isZero() ? null : liability.times(index);
  return {
    asset: line.asset,
    equity,
    valueUsd,
    collateralValueUsd: collateralValue(valueUsd, spec.collateralTiers),
    maintMarginUsd: liabilityUsd ? decPlus(s.mm, liabilityUsd.times(spec.loanMMR)) : s.mm,
    initialMarginUsd: liabilityUsd ? decPlus(s.im, liabilityUsd.div(dec(spec.marginLeverage - 1))) : s.im,
  };
}
