/**
 * Rate budgets for suites that are not about rate limits (load, concurrency, crash, benchmarks): high enough
 * that they never refuse. Suites about limits set the ones they test explicitly.
 */
export const GENEROUS_LIMITS_ENV: Record<string, string> = {
  RATE_LIMIT_USER_PER_S: '1000000',
  RATE_LIMIT_ANON_PER_S: '1000000',
  RATE_LIMIT_OPERATOR_PER_S: '1000000',
  RATE_LIMIT_AUTH_FAIL_PER_MIN: '1000000',
  WS_MAX_CONNECTIONS_PER_PRINCIPAL: '100000',
  WS_MAX_MESSAGES_PER_S: '1000000',
};
