import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { dateParam, sqlQuery } from '../../db/sql';
import type { StoredAnswer } from '../ledger/balances';
import { ApiError, type ErrorCode } from '../../errors';

/**
 * Spec section 4: business-rule refusals are results, stored with the key and replayed. Input,
 * authentication and availability errors (BAD_USER_INPUT, UNKNOWN_ASSET, PRICE_UNAVAILABLE, ...) are not.
 */
const STORED_REFUSALS = new Set<ErrorCode>([
  'INSUFFICIENT_BALANCE',
  'MARGIN_REQUIREMENT',
  'REDUCE_ONLY',
  'BORROW_LIMIT_EXCEEDED',
  'PM_ACTIVE',
  'PM_NOT_ACTIVE',
  'UNSUPPORTED_TRANSFER',
]);

export function isStoredRefusal(error: unknown): error is ApiError {
  return error instanceof ApiError && STORED_REFUSALS.has(error.code);
}

export type StoredResponse =
  { ok: unknown } | { error: { code: ErrorCode; message: string; extensions: Record<string, unknown> } };

/** "Same input" compares values, not spellings: callers pass decimals already parsed (`1.0` -> `1`). */
export function requestHash(operation: string, request: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([operation, request]))
    .digest('hex');
}

export async function storeRecord(
  em: EntityManager,
  accountId: string,
  key: string,
  operation: string,
  hash: string,
  response: StoredResponse,
  at: Date,
): Promise<void> {
  await sqlQuery(
    em,
    'INSERT INTO idempotency_record (accountId, idempotencyKey, operation, requestHash, response, createdAt) VALUES (?, ?, ?, ?, ?, ?)',
    [accountId, key, operation, hash, JSON.stringify(response), dateParam(em, at)],
  );
}

export function refusalResponse(error: ApiError): StoredResponse {
  const { code, ...extensions } = error.extensions as { code: ErrorCode };
  return { error: { code, message: error.message, extensions } };
}

/** The stored answer again: the first result, or the first refusal thrown anew. */
export function replay(record: StoredAnswer): unknown {
  const response = JSON.parse(record.response) as StoredResponse;
  if ('error' in response)
    throw new ApiError(response.error.code, response.error.message, response.error.extensions);
  return response.ok;
}
