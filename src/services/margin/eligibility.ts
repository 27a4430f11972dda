import { Decimal, formatDecimal, ZERO } from '../../lib/decimal';
import { netBalance } from './balance';
import { assetSpecOf, indexPriceOf } from './lookup';
import { mergeBalances } from './merge';
import type { BalanceInput, PriceBook, RiskParams } from './types';

export interface EligibilityResult {
  eligible: boolean;
  qualifyingBalanceUsd: Decimal;
  requiredBalanceUsd: Decimal;
  vipLevel: number;
  /** Why not, in words; empty when eligible. */
  reasons: string[];
}

/**
 * Spec 2: eligible when the VIP level is within the configured range, or when the qualifying balance
 *
 *   sum over assets of netBalance_a x index_a    (CROSS_MARGIN + USDM_FUTURES + COINM_FUTURES, no uPnL)
 *
 * reaches the configured minimum. A price is needed only for an asset whose net balance is not zero.
 */
export function eligibility(
  vipLevel: number,
  qualifyingBalances: BalanceInput[],
  prices: PriceBook,
  params: RiskParams,
): EligibilityResult {
  let qualifyingBalanceUsd = ZERO;
  for (const b of mergeBalances(qualifyingBalances)) {
    assetSpecOf(params, b.asset);
    const net = netBalance(b);
    if (!net.isZero())
      qualifyingBalanceUsd = qualifyingBalanceUsd.plus(net.times(indexPriceOf(prices, b.asset)));
  }
  const requiredBalanceUsd = params.eligibility.minQualifyingBalanceUsd;
  const [minVip, maxVip] = params.eligibility.vipLevels;
  const vipOk = vipLevel >= minVip && vipLevel <= maxVip;
  const balanceOk = qualifyingBalanceUsd.gte(requiredBalanceUsd);
  const eligible = vipOk || balanceOk;
  const shown = formatDecimal(qualifyingBalanceUsd.toDecimalPlaces(2, Decimal.ROUND_FLOOR));
  return {
    eligible,
    qualifyingBalanceUsd,
    requiredBalanceUsd,
    vipLevel,
    reasons: eligible
      ? []
      : [
          `VIP level ${vipLevel} is not within ${minVip}-${maxVip}`,
          `qualifying balance ${shown} USD is below the required ${formatDecimal(requiredBalanceUsd)} USD`,
        ],
  };
}
