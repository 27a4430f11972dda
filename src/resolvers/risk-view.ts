import type { Decimal } from '../lib/decimal';
import { MONEY_SCALE } from '../entities/columns';
import type { Portfolio, PositionRisk, PriceBook, RiskResult } from '../services/margin';
import type { Position } from '../schema/account.types';
import { ContractType, RiskStatus } from '../schema/enums';
import type { Risk } from '../schema/risk.types';

/**
 * Risk as served. The engine keeps every digit; the wire shows 18 decimals (the money scale), rounded
 * half-even, which only touches ratios and quotients that do not terminate. The status was decided
 * exactly before any rounding.
 */
export const onWire = (d: Decimal): Decimal =>
  d.decimalPlaces() > MONEY_SCALE ? d.toDecimalPlaces(MONEY_SCALE) : d;

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
    assets: result.assets.map((a) => ({
      asset: a.asset,
      equity: onWire(a.equity),
      valueUsd: onWire(a.valueUsd),
      collateralValueUsd: onWire(a.collateralValueUsd),
      maintMarginUsd: onWire(a.maintMarginUsd),
    })),
    updatedAt: at,
    portfolio,
    book,
  };
}

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
