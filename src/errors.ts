import { GraphQLError } from 'graphql';

/** The contract's error codes (`extensions.code`). */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'NOT_ELIGIBLE'
  | 'QUIZ_FAILED'
  | 'ALREADY_ACTIVE'
  | 'PM_NOT_ACTIVE'
  | 'PM_ACTIVE'
  | 'INSUFFICIENT_BALANCE'
  | 'MARGIN_REQUIREMENT'
  | 'REDUCE_ONLY'
  | 'BORROW_LIMIT_EXCEEDED'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'UNKNOWN_ASSET'
  | 'UNKNOWN_SYMBOL'
  | 'UNSUPPORTED_TRANSFER'
  | 'PRICE_UNAVAILABLE'
  | 'RATE_LIMITED'
  | 'QUERY_TOO_COMPLEX'
  | 'SERVICE_UNAVAILABLE'
  | 'BAD_REQUEST'
  | 'SLOW_SUBSCRIBER';

/** An error a client may see: a contract code and a message written for the client. */
export class ApiError extends GraphQLError {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...details } });
    this.code = code;
    this.name = 'ApiError';
  }
}

export const unauthenticated = (
  message = 'Authentication required: send Authorization: Bearer <JWT> or X-Api-Key',
) => new ApiError('UNAUTHENTICATED', message);
export const forbidden = (message = 'Not allowed for these credentials') =>
  new ApiError('FORBIDDEN', message);
export const badInput = (message: string, field?: string) =>
  new ApiError('BAD_USER_INPUT', message, field ? { field } : {});
export const notFound = (what: string) => new ApiError('NOT_FOUND', `${what} not found`);
export const unknownAsset = (symbol: string) => new ApiError('UNKNOWN_ASSET', `Unknown asset "${symbol}"`);
export const unknownSymbol = (symbol: string) =>
  new ApiError('UNKNOWN_SYMBOL', `Unknown futures symbol "${symbol}"`);
export const priceUnavailable = (symbol: string) =>
  new ApiError('PRICE_UNAVAILABLE', `No price for ${symbol} yet; risk cannot be computed`, { symbol });
/** A dependency (the database) is down: nothing was done, the same request may be sent again later. */
export const serviceUnavailable = (message = 'The service is temporarily unavailable; retry later') =>
  new ApiError('SERVICE_UNAVAILABLE', message, { retryable: true });
export const tooComplex = (message: string) => new ApiError('QUERY_TOO_COMPLEX', message);
export const badRequest = (message: string) => new ApiError('BAD_REQUEST', message);
export const rateLimited = (retryAfterMs: number) =>
  new ApiError('RATE_LIMITED', `Rate limit exceeded: retry in ${retryAfterMs} ms`, { retryAfterMs });
