import type { DataSource } from 'typeorm';
import { WalletBalanceEntity } from '../../entities';
import { ApiError } from '../../errors';
import { parseAmount, parseIdempotencyKey } from '../../lib/amount';
import { decMin, formatDecimal } from '../../lib/decimal';
import type { EventBus } from '../../pubsub';
import { balanceKey } from '../ledger/balances';
import { EXTERNAL } from '../ledger/movements';
import { applyScenario, bookedInterest, isReduceOnlyOrWorse } from '../margin';
import type { Catalog } from '../catalog/catalog';
import type { RiskService } from '../risk/risk.service';
import { loadAccountRows } from './account-rows';
import { loanCodec, type LoanResult } from './codecs';
import { HOUR_MS } from './interest-policy';
import { runOperation, type OperationTx } from './operation';

export interface LoanRequest {
  asset: string;
  amount: string;
  idempotencyKey: string;
}

const PM_WALLET = 'PORTFOLIO_MARGIN' as const;

function requirePm(tx: OperationTx): void {
  if (tx.account.mode !== 'PORTFOLIO_MARGIN')
    throw new ApiError('PM_NOT_ACTIVE', 'Loans need Portfolio Margin mode');
}

const loanOf = (row: WalletBalanceEntity): LoanResult => ({
  asset: row.asset,
  borrowed: row.borrowed,
  interest: row.interest,
});

/** Margin loans of the unified account (spec section 4). */
export class LoanService {
  constructor(
    private readonly ds: DataSource,
    private readonly bus: EventBus,
    private readonly catalog: Catalog,
    private readonly risk: RiskService,
  ) {}

  private parse(input: LoanRequest) {
    const asset = this.catalog.asset(input.asset);
    return {
      asset,
      amount: parseAmount(input.amount, asset.precision),
      key: parseIdempotencyKey(input.idempotencyKey),
    };
  }

  /**
   * Refused unless the status before is better than REDUCE_ONLY, accountEquity >= accountInitialMargin after,
   * and the account's principal of the asset stays within its borrowLimit. Credits `free`, adds to
   * `borrowed`, and accrues the first hour of interest at once.
   */
  async borrow(accountId: string, input: LoanRequest): Promise<LoanResult> {
    const { asset, amount, key } = this.parse(input);
    return runOperation(this.ds, this.bus, {
      accountId,
      operation: 'borrow',
      idempotencyKey: key,
      request: { asset: asset.symbol, amount: formatDecimal(amount) },
      codec: loanCodec,
      execute: async (tx) => {
        requirePm(tx);
        const rows = await loadAccountRows(tx.em, accountId);
        const book = this.risk.book();
        const portfolio = this.risk.portfolio(rows.balances, rows.positions);
        const before = this.risk.risk(portfolio, book);
        if (isReduceOnlyOrWorse(before.status))
          throw new ApiError('REDUCE_ONLY', `The account is ${before.status}: no new loans`);

        const loaded = await tx.balances([{ wallet: PM_WALLET, asset: asset.symbol }]);
        const row = loaded.get(balanceKey(PM_WALLET, asset.symbol))!;
        if (row.borrowed.plus(amount).gt(asset.borrowLimit)) {
          throw new ApiError(
            'BORROW_LIMIT_EXCEEDED',
            `Borrowing ${formatDecimal(amount)} ${asset.symbol} would exceed the limit of ${formatDecimal(asset.borrowLimit)}`,
            {
              borrowLimit: formatDecimal(asset.borrowLimit),
            },
          );
        }
        // Spec section 4: the first hour of a loan is accrued at borrow time.
        const interest = bookedInterest(amount, asset.hourlyInterestRate, 1, asset.precision);
        const after = this.risk.risk(
          applyScenario(portfolio, book, this.catalog.riskParams, {
            borrows: [{ asset: asset.symbol, amount }],
          }).portfolio,
          book,
        );
        if (after.accountEquity.lt(after.accountInitialMargin)) {
          throw new ApiError(
            'MARGIN_REQUIREMENT',
            'After this loan, accountEquity would be below accountInitialMargin',
          );
        }

        await tx.post(
          'BORROW',
          [
            { wallet: PM_WALLET, asset: asset.symbol, field: 'free', amount },
            { wallet: PM_WALLET, asset: asset.symbol, field: 'borrowed', amount: amount.neg() },
          ],
          loaded,
        );
        await tx.post(
          'INTEREST',
          [
            { wallet: PM_WALLET, asset: asset.symbol, field: 'interest', amount: interest.neg() },
            { wallet: EXTERNAL, asset: asset.symbol, field: 'free', amount: interest },
          ],
          loaded,
        );
        if (row.interestChargedUntil === null) {
          row.interestChargedUntil = new Date(tx.at.getTime() + HOUR_MS);
          await tx.write((em) =>
            em.update(
              WalletBalanceEntity,
              { id: row.id },
              { interestChargedUntil: row.interestChargedUntil },
            ),
          );
        }
        return loanOf(row);
      },
    });
  }

  /** Takes min(amount, what is owed) from `free`: interest first, then principal. */
  async repay(accountId: string, input: LoanRequest): Promise<LoanResult> {
    const { asset, amount, key } = this.parse(input);
    return runOperation(this.ds, this.bus, {
      accountId,
      operation: 'repay',
      idempotencyKey: key,
      request: { asset: asset.symbol, amount: formatDecimal(amount) },
      codec: loanCodec,
      execute: async (tx) => {
        requirePm(tx);
        const loaded = await tx.balances([{ wallet: PM_WALLET, asset: asset.symbol }]);
        const row = loaded.get(balanceKey(PM_WALLET, asset.symbol))!;
        // Never more than is owed: a repay of "everything" may name any larger amount.
        const paid = decMin(amount, row.borrowed.plus(row.interest));
        if (row.free.lt(paid)) {
          throw new ApiError(
            'INSUFFICIENT_BALANCE',
            `PORTFOLIO_MARGIN has ${formatDecimal(row.free)} ${asset.symbol} free`,
          );
        }
        const toInterest = decMin(paid, row.interest);
        const toPrincipal = paid.minus(toInterest);
        await tx.post(
          'REPAY',
          [
            { wallet: PM_WALLET, asset: asset.symbol, field: 'free', amount: paid.neg() },
            { wallet: PM_WALLET, asset: asset.symbol, field: 'interest', amount: toInterest },
            { wallet: PM_WALLET, asset: asset.symbol, field: 'borrowed', amount: toPrincipal },
          ],
          loaded,
        );
        if (row.borrowed.isZero() && row.interestChargedUntil !== null) {
          row.interestChargedUntil = null;
          await tx.write((em) =>
            em.update(WalletBalanceEntity, { id: row.id }, { interestChargedUntil: null }),
          );
        }
        return loanOf(row);
      },
    });
  }
}
