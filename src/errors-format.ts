import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { isDatabaseUnavailable } from './db/outage';
import {
  ApiError,
  badInput,
  priceUnavailable,
  serviceUnavailable,
  unknownAsset,
  unknownSymbol,
} from './errors';

/** Codes that GraphQL servers themselves produce for bad documents or requests; shown as they are. */
const PROTOCOL_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/** Domain errors of the pure engine, recognised by name so that the engine needs no GraphQL. */
function fromDomainError(error: Error): ApiError | null {
  const symbol = (error as { symbol?: string }).symbol ?? '';
  switch (error.name) {
    case 'PriceUnavailableError':
      return priceUnavailable(symbol);
    case 'UnknownAssetError':
      return unknownAsset(symbol);
    case 'UnknownSymbolError':
      return unknownSymbol(symbol);
    case 'InvalidScenarioError':
      return badInput(error.message);
    case 'InsufficientBalanceError':
      return new ApiError('INSUFFICIENT_BALANCE', error.message);
    default:
      return null;
  }
}

export type ErrorLogger = (error: unknown) => void;

const databaseDown = serviceUnavailable('The database is unavailable; retry later');

/** Apollo's `extensions.http` (status, headers) is for the transport, never shown to the client. */
function clientExtensions(extensions: Record<string, unknown>): Record<string, unknown> {
  const shown = { ...extensions };
  delete shown.http;
  return shown;
}

/**
 * What a client sees of an error: a contract code and a message, never a stack trace or SQL. Anything
 * unexpected is logged here and reaches the client as INTERNAL_SERVER_ERROR with a generic message.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  log: ErrorLogger,
): GraphQLFormattedError {
  const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
  if (original instanceof ApiError) {
    return { ...base, message: original.message, extensions: clientExtensions(original.extensions) };
  }
  if (original instanceof Error) {
    const domain = fromDomainError(original);
    if (domain) return { ...base, message: domain.message, extensions: { ...domain.extensions } };
  }
  if (isDatabaseUnavailable(original)) {
    log(original);
    return { ...base, message: databaseDown.message, extensions: { ...databaseDown.extensions } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && PROTOCOL_CODES.has(code)) {
    return { ...base, extensions: { code } };
  }
  if (
    original instanceof GraphQLError &&
    !(original.originalError instanceof Error) &&
    original.extensions?.code
  ) {
    return { ...base, extensions: { code: original.extensions.code } };
  }
  log(original);
  return {
    message: 'Internal server error',
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
