import { dec, decMax, ZERO, type Decimal } from '../../lib/decimal';
import { debt, isZeroBalance, marginedLiability, netBalance } from './balance';
import { collateralValue } from './collateral';
import { assetSpecOf, indexPriceOf, markPriceOf, symbolSpecOf } from './lookup';
import { byCodeUnits } from './order';
import { positionRisk, type PositionRisk } from './positions';
import { statusFor } from './status';
import type { Portfolio, PriceBook, RiskParams, RiskStatus } from './types';

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
  const sums = new Map<string, AssetSums>();
  const sumsOf = (asset: string): AssetSums => {
    let s = sums.get(asset);
    if (!s) {
      s = { net: ZERO, held: ZERO, debt: ZERO, pnl: ZERO, mm: ZERO, im: ZERO, nonZero: false };
      sums.set(asset, s);
    }
    return s;
  };

  for (const b of portfolio.balances) {
    assetSpecOf(params, b.asset);
    const s = sumsOf(b.asset);
    s.net = s.net.plus(netBalance(b));
    s.held = s.held.plus(b.free).plus(b.locked);
    s.debt = s.debt.plus(debt(b));
    s.nonZero ||= !isZeroBalance(b);
  }

  const positions: PositionRisk[] = [];
  const seen = new Set<string>();
  for (const p of portfolio.positions) {
    const spec = symbolSpecOf(params, p.symbol);
    if (seen.has(p.symbol)) {
      throw new Error(`more than one position in ${p.symbol}: positions are net, one per symbol`);
    }
    seen.add(p.symbol);
    if (p.quantity.isZero()) continue;
    const risk = positionRisk(p, spec, markPriceOf(prices, p.symbol), indexPriceOf(prices, spec.settle));
    const s = sumsOf(spec.settle);
    s.pnl = s.pnl.plus(risk.unrealizedPnl);
    s.mm = s.mm.plus(risk.maintenanceMarginUsd);
    s.im = s.im.plus(risk.initialMarginUsd);
    positions.push(risk);
  }

  const assets: AssetRisk[] = [];
  for (const [asset, s] of sums) {
    if (!s.nonZero && s.pnl.isZero() && s.mm.isZero() && s.im.isZero()) continue;
    assets.push(assetRisk(asset, s, indexPriceOf(prices, asset), params));
  }
  assets.sort((a, b) => byCodeUnits(a.asset, b.asset));
  positions.sort((a, b) => byCodeUnits(a.symbol, b.symbol));

  let actualEquity = ZERO;
  let accountEquity = ZERO;
  let accountMaintMargin = ZERO;
  let accountInitialMargin = ZERO;
  for (const a of assets) {
    actualEquity = actualEquity.plus(a.valueUsd);
    accountEquity = accountEquity.plus(a.collateralValueUsd);
    accountMaintMargin = accountMaintMargin.plus(a.maintMarginUsd);
    accountInitialMargin = accountInitialMargin.plus(a.initialMarginUsd);
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

interface AssetSums {
  net: Decimal;
  /** free + locked. */
  held: Decimal;
  debt: Decimal;
  pnl: Decimal;
  /** USD margins of the positions settling in the asset. */
  mm: Decimal;
  im: Decimal;
  nonZero: boolean;
}

/** One asset's line of spec 3; the loan's and negative balance's margins join those of the positions settling in it. */
function assetRisk(asset: string, s: AssetSums, index: Decimal, params: RiskParams): AssetRisk {
  const spec = assetSpecOf(params, asset);
  const equity = s.net.plus(s.pnl);
  const valueUsd = equity.times(index);
  const liabilityUsd = marginedLiability(s.debt, s.held).times(index);
  return {
    asset,
    equity,
    valueUsd,
    collateralValueUsd: collateralValue(valueUsd, spec.collateralTiers),
    maintMarginUsd: s.mm.plus(liabilityUsd.times(spec.loanMMR)),
    initialMarginUsd: s.im.plus(liabilityUsd.div(dec(spec.marginLeverage - 1))),
  };
}
