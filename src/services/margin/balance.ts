import { dec, decMinus, decPlus, type Decimal } from '../../lib/decimal';
import type { BalanceInput } from './types';

/**
 * Net balance (spec 1): free + locked - borrowed - interest. Inputs go through `dec` so that a Decimal made
 * by another decimal.js configuration cannot lower the precision of what follows.
 */
export function netBalance(b: BalanceInput): Decimal {
  return decMinus(decMinus(decPlus(b.free, b.locked), b.borrowed), b.interest);
}

/** Loan principal plus accrued interest: the base of the loan's margins (spec 3). */
export function debt(b: BalanceInput): Decimal {
  return decPlus(b.borrowed, b.interest);
}

/**
 * What carries loan margin in one asset (spec 3): the loan (`debt`) plus a negative balance that is not a
 * loan, `max(-(free + locked), 0)`, over the asset's summed fields.
 *
 *   MM_a = marginedLiability_a x loanMMR_a x index_a      IM_a = marginedLiability_a x index_a / (marginLeverage_a - 1)
 */
export function marginedLiability(debtSum: Decimal, freeAndLocked: Decimal): Decimal {
  return freeAndLocked.isNeg() ? debtSum.minus(freeAndLocked) : debtSum;
}

/** One field of an asset summed over the balances that hold it (a portfolio may list an asset more than once). */
export function assetTotal(
  balances: readonly BalanceInput[],
  asset: string,
  field: 'free' | 'locked' | 'borrowed' | 'interest',
): Decimal {
  return balances.filter((b) => b.asset === asset).reduce((sum, b) => sum.plus(b[field]), dec(0));
}

export function isZeroBalance(b: BalanceInput): boolean {
  return b.free.isZero() && b.locked.isZero() && b.borrowed.isZero() && b.interest.isZero();
}
