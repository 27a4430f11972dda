import { parsePositiveInt } from './parse';

type Env = Record<string, string | undefined>;

/** What one GraphQL operation may ask for; the same over HTTP and graphql-ws. */
export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  /** Cost: 1 per field, declared weights for expensive fields, list fields times their `first`. */
  maxCost: number;
  /** Errors returned with one response, from validation or execution. */
  maxErrors: number;
}

/** What the transports accept: HTTP bodies and graphql-ws sockets. */
export interface TransportLimits {
  /** HTTP body and graphql-ws message, bytes. */
  maxBodyBytes: number;
  wsConnectionInitTimeoutMs: number;
  wsMaxSubscriptionsPerConnection: number;
  /** Open graphql-ws sockets per principal (account, API key, operator; the IP for anonymous sockets). */
  wsMaxConnectionsPerPrincipal: number;
  /** Messages one graphql-ws socket may send per second (each second counted on its own). */
  wsMaxMessagesPerSecond: number;
}

/** Budgets in points; a simple operation draws 1, a costlier one 1 per `costPerPoint` of its cost. */
export interface RateLimits {
  userPerSecond: number;
  anonymousPerSecond: number;
  operatorPerSecond: number;
  authFailuresPerMinute: number;
  costPerPoint: number;
}

export interface LimitsConfig {
  operation: OperationLimits;
  transport: TransportLimits;
  rate: RateLimits;
}

/** Every limit with its environment variable and default (README lists the same). */
export const LIMIT_DEFAULTS = {
  MAX_QUERY_DEPTH: 12,
  MAX_QUERY_ALIASES: 30,
  MAX_QUERY_TOKENS: 3000,
  MAX_QUERY_DIRECTIVES: 20,
  MAX_QUERY_COST: 10000,
  MAX_ERRORS: 50,
  MAX_BODY_BYTES: 1_048_576,
  WS_CONNECTION_INIT_TIMEOUT_MS: 3000,
  WS_MAX_SUBSCRIPTIONS: 100,
  WS_MAX_CONNECTIONS_PER_PRINCIPAL: 20,
  WS_MAX_MESSAGES_PER_S: 200,
  RATE_LIMIT_USER_PER_S: 50,
  RATE_LIMIT_ANON_PER_S: 20,
  RATE_LIMIT_OPERATOR_PER_S: 5000,
  RATE_LIMIT_AUTH_FAIL_PER_MIN: 20,
  RATE_LIMIT_COST_PER_POINT: 500,
} as const;

export function loadLimits(env: Env): LimitsConfig {
  const int = (name: keyof typeof LIMIT_DEFAULTS) => parsePositiveInt(env[name], name, LIMIT_DEFAULTS[name]);
  return {
    operation: {
      maxDepth: int('MAX_QUERY_DEPTH'),
      maxAliases: int('MAX_QUERY_ALIASES'),
      maxTokens: int('MAX_QUERY_TOKENS'),
      maxDirectives: int('MAX_QUERY_DIRECTIVES'),
      maxCost: int('MAX_QUERY_COST'),
      maxErrors: int('MAX_ERRORS'),
    },
    transport: {
      maxBodyBytes: int('MAX_BODY_BYTES'),
      wsConnectionInitTimeoutMs: int('WS_CONNECTION_INIT_TIMEOUT_MS'),
      wsMaxSubscriptionsPerConnection: int('WS_MAX_SUBSCRIPTIONS'),
      wsMaxConnectionsPerPrincipal: int('WS_MAX_CONNECTIONS_PER_PRINCIPAL'),
      wsMaxMessagesPerSecond: int('WS_MAX_MESSAGES_PER_S'),
    },
    rate: {
      userPerSecond: int('RATE_LIMIT_USER_PER_S'),
      anonymousPerSecond: int('RATE_LIMIT_ANON_PER_S'),
      operatorPerSecond: int('RATE_LIMIT_OPERATOR_PER_S'),
      authFailuresPerMinute: int('RATE_LIMIT_AUTH_FAIL_PER_MIN'),
      costPerPoint: int('RATE_LIMIT_COST_PER_POINT'),
    },
  };
}
