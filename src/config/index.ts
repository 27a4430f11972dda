import path from 'node:path';
import { DEFAULT_TOKEN_RULES, type TokenRules } from '../auth/tokens';
import { loadLimits, type LimitsConfig } from './limits';
import { parseCorsOrigins, type CorsOrigins } from './cors';
import { assertDevSecretOnLoopback, parseHost } from './host';
import { ConfigError, parseBool, parseNonNegativeInt, parsePort, parsePositiveInt, parseUrl } from './parse';

export { ConfigError } from './parse';

export type PriceFeedKind = 'simulated' | 'redis' | 'none';

export interface Config {
  port: number;
  /** Bind address (HOST, default 127.0.0.1); only loopback with the built-in dev secret. */
  host: string;
  /** Browser origins allowed to call /graphql (CORS_ORIGINS); none by default: same origin only. */
  corsOrigins: CorsOrigins;
  /** `mysql://...`; null = embedded SQLite file under dataDir. */
  databaseUrl: string | null;
  dataDir: string;
  /** null = in-process pub/sub. */
  redisUrl: string | null;
  /** Names this deployment's channels on a shared Redis. */
  redisPrefix: string;
  jwtSecret: string;
  /** True when JWT_SECRET was not given and the embedded dev secret is in use. */
  devSecret: boolean;
  priceFeed: PriceFeedKind;
  /** Interval of the simulated feed, ms. */
  simulatedFeedIntervalMs: number;
  /** RISK_SHARDS: accounts are split by id into this many shards, each with one owner among the instances. */
  riskShards: number;
  /** RISK_LEASE_TTL_MS: a shard whose owner stops renewing (it died) is taken over after at most this, ms. */
  riskLeaseTtlMs: number;
  /** Seed demo accounts on an empty database. */
  seedDemo: boolean;
  /** Most accounts whose balances and positions the read model holds (0: none, every read goes to the database). */
  readModelAccounts: number;
  /** MySQL: longest wait for a pooled connection before SERVICE_UNAVAILABLE, ms. */
  dbAcquireTimeoutMs: number;
  /** Most prices one `publishPrices` call may carry (a whole universe of Binance's size fits the default). */
  maxPricesPerCall: number;
  /** Accrue interest every interestAccrualIntervalMs on the instance holding the `interest-accrual` lease. */
  interestAccrual: boolean;
  interestAccrualIntervalMs: number;
  /** Accounts read per page when the accrual looks for due loans. */
  interestAccrualBatch: number;
  production: boolean;
  /** What a bearer token must satisfy: `exp` within JWT_MAX_LIFETIME, JWT_ISSUER / JWT_AUDIENCE when set. */
  tokenRules: TokenRules;
  /** graphql-ws: how often an open socket's credentials are checked again (backstop to the revoke event), ms. */
  wsCredentialRecheckMs: number;
  /** How long /readyz waits for each dependency (database, Redis), ms. */
  readyTimeoutMs: number;
  /** Schema introspection (off in production unless ALLOW_INTROSPECTION=true), over HTTP and graphql-ws. */
  introspection: boolean;
  /** "Did you mean ...?" hints in errors (off in production). */
  suggestions: boolean;
  /** Operation, transport and rate limits (src/config/limits.ts). */
  limits: LimitsConfig;
}

const DEV_SECRET = 'dev-only-secret-do-not-use-in-production-0123456789';
const PRICE_FEEDS: readonly PriceFeedKind[] = ['simulated', 'redis', 'none'];

type Env = Record<string, string | undefined>;

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** Seconds, from "3600", "3600s", "60m", "12h" or "30d". */
function parseDuration(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const match = /^([1-9]\d{0,9})([smhd]?)$/.exec(raw);
  if (!match) throw new ConfigError(`${name} must be a duration such as 3600, 90m, 12h or 30d, got "${raw}"`);
  return Number(match[1]) * DURATION_UNITS[match[2] || 's'];
}

function parseRedisPrefix(raw: string | undefined): string {
  if (raw === undefined || raw === '') return 'pm';
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(raw))
    throw new ConfigError(`REDIS_PREFIX must be 1-64 characters of [A-Za-z0-9_.-], got "${raw}"`);
  return raw;
}

/** Reads and validates the environment once; every message names the variable at fault. */
export function loadConfig(env: Env = process.env): Config {
  const databaseUrl = parseUrl(env.DATABASE_URL, 'DATABASE_URL', ['mysql:', 'mariadb:']);
  const redisUrl = parseUrl(env.REDIS_URL, 'REDIS_URL', ['redis:', 'rediss:']);
  const production = env.NODE_ENV === 'production';

  let jwtSecret = env.JWT_SECRET ?? '';
  let devSecret = false;
  if (jwtSecret === '') {
    if (databaseUrl !== null || production) {
      throw new ConfigError('JWT_SECRET is required when DATABASE_URL is set or NODE_ENV=production');
    }
    jwtSecret = DEV_SECRET;
    devSecret = true;
  } else if (jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET must be at least 32 characters (HS256 key)');
  }

  const host = parseHost(env.HOST);
  assertDevSecretOnLoopback(host, devSecret);

  const priceFeed = (env.PRICE_FEED ?? (redisUrl ? 'redis' : 'simulated')) as PriceFeedKind;
  if (!PRICE_FEEDS.includes(priceFeed)) {
    throw new ConfigError(`PRICE_FEED must be one of ${PRICE_FEEDS.join(', ')}, got "${priceFeed}"`);
  }
  if (priceFeed === 'redis' && redisUrl === null) throw new ConfigError('PRICE_FEED=redis needs REDIS_URL');

  return {
    port: parsePort(env.PORT, 'PORT', 4000),
    host,
    corsOrigins: parseCorsOrigins(env.CORS_ORIGINS),
    databaseUrl,
    dataDir: path.resolve(env.DATA_DIR || './data'),
    redisUrl,
    redisPrefix: parseRedisPrefix(env.REDIS_PREFIX),
    jwtSecret,
    devSecret,
    priceFeed,
    simulatedFeedIntervalMs: parsePositiveInt(
      env.SIMULATED_FEED_INTERVAL_MS,
      'SIMULATED_FEED_INTERVAL_MS',
      1000,
    ),
    riskShards: parsePositiveInt(env.RISK_SHARDS, 'RISK_SHARDS', 1),
    riskLeaseTtlMs: parsePositiveInt(env.RISK_LEASE_TTL_MS, 'RISK_LEASE_TTL_MS', 10_000),
    seedDemo: parseBool(env.SEED_DEMO, 'SEED_DEMO', databaseUrl === null),
    readModelAccounts: parseNonNegativeInt(env.READ_MODEL_ACCOUNTS, 'READ_MODEL_ACCOUNTS', 10_000),
    dbAcquireTimeoutMs: parsePositiveInt(env.DB_ACQUIRE_TIMEOUT_MS, 'DB_ACQUIRE_TIMEOUT_MS', 10_000),
    maxPricesPerCall: parsePositiveInt(env.MAX_PRICES_PER_CALL, 'MAX_PRICES_PER_CALL', 1500),
    interestAccrual: parseBool(env.INTEREST_ACCRUAL, 'INTEREST_ACCRUAL', true),
    interestAccrualIntervalMs: parsePositiveInt(
      env.INTEREST_ACCRUAL_INTERVAL_MS,
      'INTEREST_ACCRUAL_INTERVAL_MS',
      60_000,
    ),
    interestAccrualBatch: parsePositiveInt(env.INTEREST_ACCRUAL_BATCH, 'INTEREST_ACCRUAL_BATCH', 200),
    production,
    tokenRules: {
      maxLifetimeSec: parseDuration(
        env.JWT_MAX_LIFETIME,
        'JWT_MAX_LIFETIME',
        DEFAULT_TOKEN_RULES.maxLifetimeSec,
      ),
      issuer: env.JWT_ISSUER || null,
      audience: env.JWT_AUDIENCE || null,
    },
    wsCredentialRecheckMs: parsePositiveInt(env.WS_CREDENTIAL_RECHECK_MS, 'WS_CREDENTIAL_RECHECK_MS', 30_000),
    readyTimeoutMs: parsePositiveInt(env.READY_TIMEOUT_MS, 'READY_TIMEOUT_MS', 2000),
    introspection: parseBool(env.ALLOW_INTROSPECTION, 'ALLOW_INTROSPECTION', !production),
    suggestions: !production,
    limits: loadLimits(env),
  };
}
