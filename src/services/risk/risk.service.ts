import type { AccountEntity, PositionEntity, WalletBalanceEntity } from '../../entities';
import type { WalletType } from '../../entities/wallet-balance.entity';
import type { Decimal } from '../../lib/decimal';
import {
  computeRisk,
  riskTerms,
  eligibility,
  liquidationPrices,
  maxBorrowable,
  maxWithdraw,
  mergeBalances,
  type BalanceInput,
  type EligibilityResult,
  type LiquidationPrice,
  type Portfolio,
  type PositionInput,
  type PriceBook,
  type RiskResult,
  type RiskTerms,
} from '../margin';
import type { Catalog } from '../catalog/catalog';
import type { PriceService } from '../prices/price.service';

/** Spec section 2: the wallets that count for eligibility and merge into PORTFOLIO_MARGIN on activation. */
export const MERGED_WALLETS: WalletType[] = ['CROSS_MARGIN', 'USDM_FUTURES', 'COINM_FUTURES'];

export const PM_ALREADY_ACTIVE = 'Portfolio Margin is already active';

export const balanceInput = (b: WalletBalanceEntity): BalanceInput => ({
  asset: b.asset,
  free: b.free,
  locked: b.locked,
  borrowed: b.borrowed,
  interest: b.interest,
});

export const positionInput = (p: PositionEntity): PositionInput => ({
  symbol: p.symbol,
  quantity: p.quantity,
  entryPrice: p.entryPrice,
  leverage: p.leverage,
});

export function walletBalances(rows: WalletBalanceEntity[], wallet: WalletType): BalanceInput[] {
  return rows.filter((r) => r.wallet === wallet).map(balanceInput);
}

/**
 * Turns an account's rows into the engine's inputs and calls the engine with the live prices and the
 * catalogue's parameters. Holds no state of its own.
 */
export class RiskService {
  constructor(
    private readonly catalog: Catalog,
    private readonly prices: PriceService,
  ) {}

  /** The unified account: the PORTFOLIO_MARGIN wallet's balances and the account's positions. */
  portfolio(balances: WalletBalanceEntity[], positions: PositionEntity[]): Portfolio {
    return {
      balances: walletBalances(balances, 'PORTFOLIO_MARGIN'),
      positions: positions.map(positionInput),
    };
  }

  /** Spec section 2 preview: the wallets merged as activation would merge them. */
  previewPortfolio(balances: WalletBalanceEntity[], positions: PositionEntity[]): Portfolio {
    const merged = mergeBalances(
      ...[...MERGED_WALLETS, 'PORTFOLIO_MARGIN' as const].map((w) => walletBalances(balances, w)),
    );
    return { balances: merged, positions: positions.map(positionInput) };
  }

  book(): PriceBook {
    return this.prices.book();
  }

  risk(portfolio: Portfolio, book: PriceBook = this.book()): RiskResult {
    return computeRisk(portfolio, book, this.catalog.riskParams);
  }

  /** `risk` of a portfolio that had `previous` computed at earlier prices: only the moved terms are redone. */
  riskTerms(portfolio: Portfolio, book: PriceBook, previous: RiskTerms | null): RiskTerms {
    return riskTerms(portfolio, book, this.catalog.riskParams, previous);
  }

  maxWithdraw(portfolio: Portfolio, asset: string, book: PriceBook = this.book()): Decimal {
    return maxWithdraw(portfolio, book, this.catalog.riskParams, asset);
  }

  maxBorrowable(portfolio: Portfolio, asset: string, book: PriceBook = this.book()): Decimal {
    return maxBorrowable(portfolio, book, this.catalog.riskParams, asset);
  }

  liquidationPrices(portfolio: Portfolio, book: PriceBook = this.book()): LiquidationPrice[] {
    return liquidationPrices(portfolio, book, this.catalog.riskParams);
  }

  /** An account already in Portfolio Margin is not eligible again, whatever its VIP level or balance. */
  eligibility(
    account: Pick<AccountEntity, 'vipLevel' | 'mode'>,
    balances: WalletBalanceEntity[],
    book: PriceBook = this.book(),
  ): EligibilityResult {
    const qualifying = MERGED_WALLETS.flatMap((w) => walletBalances(balances, w));
    const result = eligibility(account.vipLevel, qualifying, book, this.catalog.riskParams);
    if (account.mode !== 'PORTFOLIO_MARGIN') return result;
    return { ...result, eligible: false, reasons: [PM_ALREADY_ACTIVE] };
  }
}
