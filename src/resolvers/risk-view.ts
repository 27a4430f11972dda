import { toWire } from '../lib/decimal';
import type {
  AssetRisk as EngineAssetRisk,
  Portfolio,
  PositionRisk,
  PriceBook,
  RiskResult,
} from '../services/margin';
import { oncePer } from '../lib/once-per';
import type { Position } from '../schema/account.types';
import { ContractType, RiskStatus } from '../schema/enums';
import type { AssetRisk, Risk } from '../schema/risk.types';

/**
 * Risk as served. The engine keeps every digit; the wire shows 18 decimals, rounded half-even (`toWire`, the
 * rule the Decimal scalar applies to every field), which only touches ratios and quotients that do not
 * terminate. Rounded here too so that a live update that changes nothing visible is recognised as such. The
 * status was decided exactly before any rounding.
 */
export const onWire = toWire;

/** The root of a `Risk` object: its fields, plus what `maxWithdraw(asset)` needs to recompute. */
export interface RiskView extends Risk {
  portfolio: Portfolio;
  book: PriceBook;
}

export function riskView(result: RiskResult, portfolio: Portfolio, book: PriceBook, at: Date): RiskView {
  return {
    uniMMR: result.uniMMR === null ? null : onWire(result.uniMMR),
    status: result.status as RiskStatus,
    accountEquity: onWire(result.accountEquity),
    actualEquity: onWire(result.actualEquity),
    accountMaintMargin: onWire(result.accountMaintMargin),
    accountInitialMargin: onWire(result.accountInitialMargin),
    availableBalance: onWire(result.availableBalance),
    maxWithdrawUsd: onWire(result.maxWithdrawUsd),
    assets: result.assets.map(assetView),
    updatedAt: at,
    portfolio,
    book,
  };
}

/**
 * One asset's line as served, once per engine line: the incremental engine keeps the lines a tick did not move,
 * so their views (frozen, so that a plan may keep what it made of them) are kept too.
 */
const assetView = oncePer((a: EngineAssetRisk): AssetRisk =>
  Object.freeze({
    asset: a.asset,
    equity: onWire(a.equity),
    valueUsd: onWire(a.valueUsd),
    collateralValueUsd: onWire(a.collateralValueUsd),
    maintMarginUsd: onWire(a.maintMarginUsd),
  }),
);

export function positionView(p: PositionRisk): Position {
  return {
    symbol: p.symbol,
    contractType: p.contractType as ContractType,
    quantity: p.quantity,
    entryPrice: p.entryPrice,
    markPrice: p.markPrice,
    notional: onWire(p.notional),
    unrealizedPnl: onWire(p.unrealizedPnl),
    leverage: p.leverage,
    maintenanceMarginUsd: onWire(p.maintenanceMarginUsd),
    initialMarginUsd: onWire(p.initialMarginUsd),
  };
}
