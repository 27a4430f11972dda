import type { TransferEntity } from '../../entities';
import { dec, formatDecimal, type Decimal } from '../../lib/decimal';
import type { ResultCodec } from './operation';

/** Stored results keep decimals as strings and dates as ISO strings; decoding restores the types. */
export function recordCodec<R extends object>(
  decimals: (keyof R)[],
  dates: (keyof R)[] = [],
): ResultCodec<R> {
  return {
    encode(result) {
      const out = { ...result } as Record<string, unknown>;
      for (const k of decimals) out[k as string] = formatDecimal(result[k] as Decimal);
      for (const k of dates) out[k as string] = (result[k] as Date).toISOString();
      return out;
    },
    decode(stored) {
      const out = { ...(stored as Record<string, unknown>) };
      for (const k of decimals) out[k as string] = dec(out[k as string] as string);
      for (const k of dates) out[k as string] = new Date(out[k as string] as string);
      return out as R;
    },
  };
}

export type TransferResult = Pick<
  TransferEntity,
  'id' | 'idempotencyKey' | 'asset' | 'amount' | 'from' | 'to' | 'createdAt'
>;
export const transferCodec = recordCodec<TransferResult>(['amount'], ['createdAt']);

export interface LoanResult {
  asset: string;
  borrowed: Decimal;
  interest: Decimal;
}
export const loanCodec = recordCodec<LoanResult>(['borrowed', 'interest']);

export interface BalanceResult {
  asset: string;
  free: Decimal;
  locked: Decimal;
  borrowed: Decimal;
  interest: Decimal;
}
export const balanceCodec = recordCodec<BalanceResult>(['free', 'locked', 'borrowed', 'interest']);
