import path from 'node:path';
import { DEFAULT_TOKEN_RULES, type TokenRules } from '../auth/tokens';

export type PriceFeedKind = 'simulated' | 'redis' | 'none';

export interface Config {
  port: number;
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
  /** Seed demo accounts on an empty database. */
  seedDemo: boolean;
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
}

export class ConfigError extends Error {}

const DEV_SECRET = 'dev-only-secret-do-not-use-in-production-0123456789';
const PRICE_FEEDS: readonly PriceFeedKind[] = ['simulated', 'redis', 'none'];

type Env = Record<string, string | undefined>;

function parsePort(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535)
    throw new ConfigError(`${name} must be a port number 0-65535, got "${raw}"`);
  return Number(raw);
}

function parsePositiveInt(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1)
    throw new ConfigError(`${name} must be a positive integer, got "${raw}"`);
  return Number(raw);
}

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** Seconds, from "3600", "3600s", "60m", "12h" or "30d". */
function parseDuration(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const match = /^([1-9]\d{0,9})([smhd]?)$/.exec(raw);
  if (!match) throw new ConfigError(`${name} must be a duration such as 3600, 90m, 12h or 30d, got "${raw}"`);
  return Number(match[1]) * DURATION_UNITS[match[2] || 's'];
}

function parseUrl(raw: string | undefined, name: string, protocols: string[]): string | null {
  if (raw === undefined || raw === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a URL: "${raw}"`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(
      `${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}, got "${url.protocol}//"`,
    );
  }
  return raw;
}

function parseBool(raw: string | undefined, name: string, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false (or on/off), got "${raw}"`);
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

  const priceFeed = (env.PRICE_FEED ?? (redisUrl ? 'redis' : 'simulated')) as PriceFeedKind;
  if (!PRICE_FEEDS.includes(priceFeed)) {
    throw new ConfigError(`PRICE_FEED must be one of ${PRICE_FEEDS.join(', ')}, got "${priceFeed}"`);
  }
  if (priceFeed === 'redis' && redisUrl === null) throw new ConfigError('PRICE_FEED=redis needs REDIS_URL');

  return {
    port: parsePort(env.PORT, 'PORT', 4000),
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
    seedDemo: parseBool(env.SEED_DEMO, 'SEED_DEMO', databaseUrl === null),
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
  };
}
