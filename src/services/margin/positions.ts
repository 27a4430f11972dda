import { dec, type Decimal } from '../../lib/decimal';
import { maintenanceMargin } from './brackets';
import { notional, pnl } from './contracts';
import type { ContractType, PositionInput, SymbolSpec } from './types';

export interface PositionRisk {
  symbol: string;
  contractType: ContractType;
  quantity: Decimal;
  entryPrice: Decimal;
  markPrice: Decimal;
  /** Unsigned: UM |qty x mark| in the quote asset; CM contracts x face / mark in coin. */
  notional: Decimal;
  /** In the settle asset. */
  unrealizedPnl: Decimal;
  leverage: number;
  maintenanceMarginUsd: Decimal;
  initialMarginUsd: Decimal;
}

/**
 * One open position's contribution (spec 3), margins first in the settle asset, then in USD at its index:
 *
 *   MM = (notional x mmr_k - cum_k) x index_settle        k = bracketFor(notional)
 *   IM = notional / leverage x index_settle
 *
 * with notional UM |qty x mark|, CM contracts x face / mark (coin), and uPnL at the mark (spec 1).
 */
export function positionRisk(
  position: PositionInput,
  spec: SymbolSpec,
  markPrice: Decimal,
  settleIndexPrice: Decimal,
): PositionRisk {
  if (!Number.isFinite(position.leverage) || position.leverage <= 0) {
    throw new RangeError(`leverage of ${position.symbol} must be > 0`);
  }
  const quantity = dec(position.quantity);
  const entryPrice = dec(position.entryPrice);
  const size = notional(spec, quantity, markPrice);
  return {
    symbol: position.symbol,
    contractType: spec.contractType,
    quantity,
    entryPrice,
    markPrice,
    notional: size,
    unrealizedPnl: pnl(spec, quantity, entryPrice, markPrice),
    leverage: position.leverage,
    maintenanceMarginUsd: maintenanceMargin(size, spec.brackets).times(settleIndexPrice),
    initialMarginUsd: size.div(position.leverage).times(settleIndexPrice),
  };
}
