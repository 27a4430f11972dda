export const POOL_ACQUIRE_TIMEOUT_CODE = 'POOL_ACQUIRE_TIMEOUT';

/**
 * Errors that mean "the database cannot be reached now", not "this request is wrong": the connection was
 * refused, cut, timed out or never handed out by the pool. They reach clients as SERVICE_UNAVAILABLE.
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  POOL_ACQUIRE_TIMEOUT_CODE,
]);

/** The pool gave no connection within the acquire timeout (the database is down or saturated). */
export class PoolAcquireTimeoutError extends Error {
  readonly code = POOL_ACQUIRE_TIMEOUT_CODE;
  constructor(timeoutMs: number) {
    super(`no database connection within ${timeoutMs} ms`);
    this.name = 'PoolAcquireTimeoutError';
  }
}

interface MaybeDriverError {
  code?: unknown;
  fatal?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
  /** graphql-js wraps a thrown non-Error (mysql2 rejects some connects with a plain object) in this. */
  thrownValue?: unknown;
}

/** True for a connection-level failure anywhere in the error's chain (TypeORM and graphql-js wrap it). */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const e = error as MaybeDriverError;
  if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
  // mysql2 marks errors after which the connection is unusable as fatal.
  if (e.fatal === true) return true;
  if (typeof e.message === 'string' && /Pool is closed|connection is in closed state/i.test(e.message))
    return true;
  return [e.driverError, e.cause, e.thrownValue].some((inner) => isDatabaseUnavailable(inner, depth + 1));
}
