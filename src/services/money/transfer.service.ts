import type { DataSource } from 'typeorm';
import { dateParam, insertReturningId, moneyParam } from '../../db/sql';
import type { AccountMode } from '../../entities/account.entity';
import type { WalletType } from '../../entities/wallet-balance.entity';
import { ApiError, badInput } from '../../errors';
import { parseAmount, parseIdempotencyKey } from '../../lib/amount';
import { formatDecimal } from '../../lib/decimal';
import type { EventBus } from '../../pubsub';
import { balanceKey } from '../ledger/balances';
import { isReduceOnlyOrWorse } from '../margin';
import type { Catalog } from '../catalog/catalog';
import type { RiskService } from '../risk/risk.service';
import { WALLETS_OF_MODE } from '../accounts/wallets';
import { loadAccountRows } from './account-rows';
import { transferCodec, type TransferResult } from './codecs';
import { runOperation } from './operation';

export interface TransferRequest {
  asset: string;
  amount: string;
  from: WalletType;
  to: WalletType;
  idempotencyKey: string;
}

/**
 * Spec section 4: which wallet pairs a mode allows. CLASSIC: any two of its four wallets; PM: SPOT <->
 * PORTFOLIO_MARGIN. A wallet of the other mode is PM_ACTIVE / PM_NOT_ACTIVE.
 */
export function transferRefusal(mode: AccountMode, from: WalletType, to: WalletType): ApiError | null {
  const own = WALLETS_OF_MODE[mode];
  for (const wallet of [from, to]) {
    if (own.includes(wallet)) continue;
    return mode === 'CLASSIC'
      ? new ApiError('PM_NOT_ACTIVE', `${wallet} exists only in Portfolio Margin mode`)
      : new ApiError(
          'PM_ACTIVE',
          `${wallet} is merged into PORTFOLIO_MARGIN while Portfolio Margin is active`,
        );
  }
  return null;
}

export class TransferService {
  constructor(
    private readonly ds: DataSource,
    private readonly bus: EventBus,
    private readonly catalog: Catalog,
    private readonly risk: RiskService,
  ) {}

  async transfer(accountId: string, input: TransferRequest): Promise<TransferResult> {
    const asset = this.catalog.asset(input.asset);
    const amount = parseAmount(input.amount, asset.precision);
    const key = parseIdempotencyKey(input.idempotencyKey);
    if (input.from === input.to) throw badInput('from and to must be different wallets', 'to');
    const { from, to } = input;

    return runOperation(this.ds, this.bus, {
      accountId,
      operation: 'transfer',
      idempotencyKey: key,
      request: { asset: asset.symbol, amount: formatDecimal(amount), from, to },
      codec: transferCodec,
      execute: async (tx) => {
        const refusal = transferRefusal(tx.account.mode, from, to);
        if (refusal) throw refusal;
        for (const wallet of [from, to]) {
          if (!this.catalog.walletTakes(wallet, asset.symbol)) {
            throw new ApiError('UNSUPPORTED_TRANSFER', `${wallet} does not hold ${asset.symbol}`);
          }
        }
        // Spec 4's order: input, mode and wallet (above), status, balance, margin.
        const leavingPm = from === 'PORTFOLIO_MARGIN' ? await this.pmRisk(tx.em, accountId) : null;
        if (leavingPm && isReduceOnlyOrWorse(leavingPm.status))
          throw new ApiError(
            'REDUCE_ONLY',
            `The account is ${leavingPm.status}: nothing may leave PORTFOLIO_MARGIN`,
          );
        const rows = await tx.balances([
          { wallet: from, asset: asset.symbol },
          { wallet: to, asset: asset.symbol },
        ]);
        const source = rows.get(balanceKey(from, asset.symbol))!;
        if (source.free.lt(amount)) {
          throw new ApiError(
            'INSUFFICIENT_BALANCE',
            `${from} has ${formatDecimal(source.free)} ${asset.symbol} free`,
          );
        }
        if (leavingPm) {
          const max = this.risk.maxWithdraw(leavingPm.portfolio, asset.symbol, leavingPm.book);
          if (amount.gt(max)) {
            throw new ApiError(
              'MARGIN_REQUIREMENT',
              `At most ${formatDecimal(max)} ${asset.symbol} may leave PORTFOLIO_MARGIN now`,
              { maxWithdraw: formatDecimal(max) },
            );
          }
        }

        const transfer = {
          accountId,
          idempotencyKey: key,
          asset: asset.symbol,
          amount,
          from,
          to,
          createdAt: tx.at,
        };
        const id = await tx.write((em) =>
          insertReturningId(
            em,
            'INSERT INTO transfer (accountId, idempotencyKey, asset, amount, fromWallet, toWallet, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?)',
            [accountId, key, asset.symbol, moneyParam(amount), from, to, dateParam(em, tx.at)],
          ),
        );
        await tx.post(
          'TRANSFER',
          [
            { wallet: from, asset: asset.symbol, field: 'free', amount: amount.neg() },
            { wallet: to, asset: asset.symbol, field: 'free', amount },
          ],
          rows,
          `transfer:${id}`,
        );
        return { id, ...transfer };
      },
    });
  }

  /** The unified account's risk under the operation's lock, with the prices it was computed at. */
  private async pmRisk(em: Parameters<typeof loadAccountRows>[0], accountId: string) {
    const rows = await loadAccountRows(em, accountId);
    const portfolio = this.risk.portfolio(rows.balances, rows.positions);
    const book = this.risk.book();
    return { portfolio, book, status: this.risk.risk(portfolio, book).status };
  }
}
