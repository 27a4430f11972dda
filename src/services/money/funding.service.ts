import type { DataSource } from 'typeorm';
import { ApiError } from '../../errors';
import { parseAmount, parseIdempotencyKey } from '../../lib/amount';
import { formatDecimal } from '../../lib/decimal';
import type { EventBus } from '../../pubsub';
import { balanceKey } from '../ledger/balances';
import { EXTERNAL } from '../ledger/movements';
import type { Catalog } from '../catalog/catalog';
import { balanceCodec, type BalanceResult } from './codecs';
import { runOperation } from './operation';
import { parseRowId } from '../../lib/row-id';

export interface FundingRequest {
  asset: string;
  amount: string;
  idempotencyKey: string;
}

type Direction = 'deposit' | 'withdraw';

/** The funding system's side (operator only): SPOT <-> EXTERNAL. */
export class FundingService {
  constructor(
    private readonly ds: DataSource,
    private readonly bus: EventBus,
    private readonly catalog: Catalog,
  ) {}

  deposit(accountId: string, input: FundingRequest): Promise<BalanceResult> {
    return this.move('deposit', accountId, input);
  }

  /** Never makes SPOT's free balance negative: INSUFFICIENT_BALANCE instead. */
  withdraw(accountId: string, input: FundingRequest): Promise<BalanceResult> {
    return this.move('withdraw', accountId, input);
  }

  private move(direction: Direction, rawAccountId: string, input: FundingRequest): Promise<BalanceResult> {
    const accountId = parseRowId(rawAccountId, 'accountId');
    const asset = this.catalog.asset(input.asset);
    const amount = parseAmount(input.amount, asset.precision);
    const key = parseIdempotencyKey(input.idempotencyKey);
    const into = direction === 'deposit' ? amount : amount.neg();
    return runOperation(this.ds, this.bus, {
      accountId,
      operation: direction,
      idempotencyKey: key,
      request: { asset: asset.symbol, amount: formatDecimal(amount) },
      codec: balanceCodec,
      execute: async (tx) => {
        const loaded = await tx.balances([{ wallet: 'SPOT', asset: asset.symbol }]);
        const spot = loaded.get(balanceKey('SPOT', asset.symbol))!;
        if (direction === 'withdraw' && spot.free.lt(amount)) {
          throw new ApiError(
            'INSUFFICIENT_BALANCE',
            `SPOT has ${formatDecimal(spot.free)} ${asset.symbol} free`,
          );
        }
        await tx.post(
          direction.toUpperCase(),
          [
            { wallet: 'SPOT', asset: asset.symbol, field: 'free', amount: into },
            { wallet: EXTERNAL, asset: asset.symbol, field: 'free', amount: into.neg() },
          ],
          loaded,
        );
        return {
          asset: spot.asset,
          free: spot.free,
          locked: spot.locked,
          borrowed: spot.borrowed,
          interest: spot.interest,
        };
      },
    });
  }
}
