import type { AccountMode } from '../../entities/account.entity';
import type { WalletBalanceEntity, WalletType } from '../../entities/wallet-balance.entity';
import { priceUnavailable } from '../../errors';
import { ZERO, decSum, type Decimal } from '../../lib/decimal';

/** Spec section 1: the wallets each mode has, in display order. */
export const WALLETS_OF_MODE: Record<AccountMode, WalletType[]> = {
  CLASSIC: ['SPOT', 'CROSS_MARGIN', 'USDM_FUTURES', 'COINM_FUTURES'],
  PORTFOLIO_MARGIN: ['SPOT', 'PORTFOLIO_MARGIN'],
};

export interface BalanceView {
  asset: string;
  free: Decimal;
  locked: Decimal;
  borrowed: Decimal;
  interest: Decimal;
  net: Decimal;
  valueUsd: Decimal;
}

export interface WalletView {
  type: WalletType;
  balances: BalanceView[];
  totalValueUsd: Decimal;
}

/** net = free + locked - borrowed - interest */
export function netBalance(b: {
  free: Decimal;
  locked: Decimal;
  borrowed: Decimal;
  interest: Decimal;
}): Decimal {
  return b.free.plus(b.locked).minus(b.borrowed).minus(b.interest);
}

const isEmpty = (b: WalletBalanceEntity): boolean =>
  b.free.isZero() && b.locked.isZero() && b.borrowed.isZero() && b.interest.isZero();

export type BalanceFields = Pick<WalletBalanceEntity, 'asset' | 'free' | 'locked' | 'borrowed' | 'interest'>;

/** valueUsd = net x indexPrice; a non-zero balance without a price is PRICE_UNAVAILABLE, never valued at 0. */
export function balanceView(b: BalanceFields, indexPrice: Decimal | undefined): BalanceView {
  const net = netBalance(b);
  if (indexPrice === undefined && !net.isZero()) throw priceUnavailable(b.asset);
  return {
    asset: b.asset,
    free: b.free,
    locked: b.locked,
    borrowed: b.borrowed,
    interest: b.interest,
    net,
    valueUsd: net.isZero() ? ZERO : net.times(indexPrice!),
  };
}

/**
 * One wallet as clients see it: its non-empty balances in catalogue order, each valued at the index price
 * (balanceView).
 */
export function walletView(
  type: WalletType,
  rows: WalletBalanceEntity[],
  indexPrice: (asset: string) => Decimal | undefined,
  assetOrder: (asset: string) => number,
): WalletView {
  const balances = rows
    .filter((r) => r.wallet === type && !isEmpty(r))
    .sort((a, b) => assetOrder(a.asset) - assetOrder(b.asset))
    .map((r) => balanceView(r, indexPrice(r.asset)));
  return { type, balances, totalValueUsd: decSum(balances.map((b) => b.valueUsd)) };
}
