import type { DataSource } from 'typeorm';
import type { WalletBalanceEntity } from '../../entities';
import { ApiError } from '../../errors';
import { parseAmount, parseIdempotencyKey } from '../../lib/amount';
import { systemClock, type Clock } from '../../lib/clock';
import { decMin, formatDecimal } from '../../lib/decimal';
import type { EventBus } from '../../pubsub';
import { balanceKey } from '../ledger/balances';
import { applyScenario, isReduceOnlyOrWorse, withInterestOwed } from '../margin';
import type { Catalog } from '../catalog/catalog';
import type { RiskService } from '../risk/risk.service';
import { loadAccountRows } from './account-rows';
import { loanCodec, type LoanResult } from './codecs';
import {
  loadSegments,
  loanWallet,
  openSegment,
  repaySegments,
  settleSegments,
  unchargedInterest,
  type PostInterest,
} from './loan-segments';
import { runOperation, type OperationTx } from './operation';

export interface LoanRequest {
  asset: string;
  amount: string;
  idempotencyKey: string;
}

function requirePm(tx: OperationTx): void {
  if (tx.account.mode !== 'PORTFOLIO_MARGIN')
    throw new ApiError('PM_NOT_ACTIVE', 'Loans need Portfolio Margin mode');
}

/**
 * Margin loans of the unified account (spec section 4), interest by time owed: each borrow is a loan segment
 * (loan-segments.ts), and a borrow or repay first charges the hours the existing segments have started.
 */
export class LoanService {
  constructor(
    private readonly ds: DataSource,
    private readonly bus: EventBus,
    private readonly catalog: Catalog,
    private readonly risk: RiskService,
    private readonly clock: Clock = systemClock,
  ) {}

  private parse(input: LoanRequest) {
    const asset = this.catalog.asset(input.asset);
    return {
      asset,
      amount: parseAmount(input.amount, asset.precision),
      key: parseIdempotencyKey(input.idempotencyKey),
    };
  }

  /** Interest charged by a borrow or repay is caused by it: its postings carry the operation's key. */
  private postInterest(tx: OperationTx, loaded: Map<string, WalletBalanceEntity>): PostInterest {
    return (movements) => tx.post('INTEREST', movements, loaded);
  }

  /**
   * Refused unless the status before is better than REDUCE_ONLY, accountEquity >= accountInitialMargin after,
   * and the account's principal of the asset stays within its borrowLimit; the hours the existing segments
   * started count as owed in both checks. Then charges those hours, credits `free`, adds to `borrowed`, and
   * opens a segment whose first hour is charged at once.
   */
  async borrow(accountId: string, input: LoanRequest): Promise<LoanResult> {
    const { asset, amount, key } = this.parse(input);
    return runOperation(this.ds, this.bus, {
      accountId,
      operation: 'borrow',
      idempotencyKey: key,
      request: { asset: asset.symbol, amount: formatDecimal(amount) },
      codec: loanCodec,
      clock: this.clock,
      execute: async (tx) => {
        requirePm(tx);
        const rows = await loadAccountRows(tx.em, accountId);
        const segments = await loadSegments(tx.em, accountId, asset.symbol);
        const book = this.risk.book();
        const portfolio = withInterestOwed(
          this.risk.portfolio(rows.balances, rows.positions),
          asset.symbol,
          unchargedInterest(segments, asset, tx.at),
        );
        const before = this.risk.risk(portfolio, book);
        if (isReduceOnlyOrWorse(before.status))
          throw new ApiError('REDUCE_ONLY', `The account is ${before.status}: no new loans`);

        const loaded = await tx.balances([{ wallet: loanWallet, asset: asset.symbol }]);
        const row = loaded.get(balanceKey(loanWallet, asset.symbol))!;
        if (row.borrowed.plus(amount).gt(asset.borrowLimit)) {
          throw new ApiError(
            'BORROW_LIMIT_EXCEEDED',
            `Borrowing ${formatDecimal(amount)} ${asset.symbol} would exceed the limit of ${formatDecimal(asset.borrowLimit)}`,
            {
              borrowLimit: formatDecimal(asset.borrowLimit),
            },
          );
        }
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

        const postInterest = this.postInterest(tx, loaded);
        await settleSegments(tx.em, segments, asset, tx.at, postInterest);
        await tx.post(
          'BORROW',
          [
            { wallet: loanWallet, asset: asset.symbol, field: 'free', amount },
            { wallet: loanWallet, asset: asset.symbol, field: 'borrowed', amount: amount.neg() },
          ],
          loaded,
        );
        await tx.write((em) => openSegment(em, accountId, asset, amount, tx.at, postInterest));
        return { asset: row.asset, borrowed: row.borrowed, interest: row.interest };
      },
    });
  }

  /**
   * Charges the hours the segments started, then takes min(amount, what is owed) from `free`: interest first,
   * then principal, which reduces the newest segments first.
   */
  async repay(accountId: string, input: LoanRequest): Promise<LoanResult> {
    const { asset, amount, key } = this.parse(input);
    return runOperation(this.ds, this.bus, {
      accountId,
      operation: 'repay',
      idempotencyKey: key,
      request: { asset: asset.symbol, amount: formatDecimal(amount) },
      codec: loanCodec,
      clock: this.clock,
      execute: async (tx) => {
        requirePm(tx);
        const loaded = await tx.balances([{ wallet: loanWallet, asset: asset.symbol }]);
        const row = loaded.get(balanceKey(loanWallet, asset.symbol))!;
        const segments = await loadSegments(tx.em, accountId, asset.symbol);
        const owed = row.borrowed.plus(row.interest).plus(unchargedInterest(segments, asset, tx.at));
        // Never more than is owed: a repay of "everything" may name any larger amount.
        const paid = decMin(amount, owed);
        if (row.free.lt(paid)) {
          throw new ApiError(
            'INSUFFICIENT_BALANCE',
            `PORTFOLIO_MARGIN has ${formatDecimal(row.free)} ${asset.symbol} free`,
          );
        }
        await settleSegments(tx.em, segments, asset, tx.at, this.postInterest(tx, loaded));
        const toInterest = decMin(paid, row.interest);
        const toPrincipal = paid.minus(toInterest);
        await tx.post(
          'REPAY',
          [
            { wallet: loanWallet, asset: asset.symbol, field: 'free', amount: paid.neg() },
            { wallet: loanWallet, asset: asset.symbol, field: 'interest', amount: toInterest },
            { wallet: loanWallet, asset: asset.symbol, field: 'borrowed', amount: toPrincipal },
          ],
          loaded,
        );
        await tx.write((em) => repaySegments(em, segments, toPrincipal));
        return { asset: row.asset, borrowed: row.borrowed, interest: row.interest };
      },
    });
  }
}
