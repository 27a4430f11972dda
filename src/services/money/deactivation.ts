import type { PositionEntity, WalletBalanceEntity } from '../../entities';
import { formatDecimal, type Decimal } from '../../lib/decimal';
import { netBalance } from '../accounts/wallets';

export type DeactivationBlockerCode = 'OPEN_LOAN' | 'NEGATIVE_BALANCE' | 'OPEN_POSITION';

export interface DeactivationBlocker {
  code: DeactivationBlockerCode;
  asset: string | null;
  symbol: string | null;
  message: string;
}

export interface DeactivationMove {
  asset: string;
  amount: Decimal;
  to: 'CROSS_MARGIN';
}

export interface DeactivationPlan {
  blockers: DeactivationBlocker[];
  moves: DeactivationMove[];
}

const isEmpty = (b: WalletBalanceEntity): boolean =>
  b.free.isZero() && b.locked.isZero() && b.borrowed.isZero() && b.interest.isZero();

/**
 * What leaving Portfolio Margin would do to the PORTFOLIO_MARGIN balances and the positions: CROSS_MARGIN
 * has no unified risk to carry a loan, a deficit or a futures position across, so each of them blocks; every
 * non-empty balance moves whole (its net amount) to CROSS_MARGIN.
 */
export function deactivationPlan(
  pmBalances: WalletBalanceEntity[],
  positions: PositionEntity[],
): DeactivationPlan {
  const blockers: DeactivationBlocker[] = [];
  const held = pmBalances.filter((b) => !isEmpty(b));
  for (const b of held) {
    if (b.borrowed.gt(0) || b.interest.gt(0)) {
      blockers.push({
        code: 'OPEN_LOAN',
        asset: b.asset,
        symbol: null,
        message: `Repay ${formatDecimal(b.borrowed)} ${b.asset} borrowed and ${formatDecimal(b.interest)} interest first`,
      });
    }
    if (b.free.isNeg() || netBalance(b).isNeg()) {
      blockers.push({
        code: 'NEGATIVE_BALANCE',
        asset: b.asset,
        symbol: null,
        message: `The ${b.asset} balance is negative (net ${formatDecimal(netBalance(b))}): cover it first`,
      });
    }
  }
  for (const p of positions) {
    if (p.quantity.isZero()) continue;
    blockers.push({
      code: 'OPEN_POSITION',
      asset: null,
      symbol: p.symbol,
      message: `Close the ${p.symbol} position (${formatDecimal(p.quantity)}) first`,
    });
  }
  const moves = held.map((b) => ({ asset: b.asset, amount: netBalance(b), to: 'CROSS_MARGIN' as const }));
  return { blockers, moves };
}
