import { ConfigError, loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('defaults to the embedded database, in-process pub/sub, the simulated feed and port 4000', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 4000,
      databaseUrl: null,
      redisUrl: null,
      redisPrefix: 'pm',
      priceFeed: 'simulated',
      devSecret: true,
      seedDemo: true,
      maxPricesPerCall: 1500,
    });
    expect(c.dataDir).toMatch(/data$/);
  });

  it('accrues interest every minute unless INTEREST_ACCRUAL=off', () => {
    expect(loadConfig({})).toMatchObject({
      interestAccrual: true,
      interestAccrualIntervalMs: 60_000,
      interestAccrualBatch: 200,
    });
    expect(loadConfig({ INTEREST_ACCRUAL: 'off' }).interestAccrual).toBe(false);
    expect(loadConfig({ INTEREST_ACCRUAL: 'on' }).interestAccrual).toBe(true);
  });

  it('states the default limits and reads each from its variable', () => {
    expect(loadConfig({}).limits).toEqual({
      operation: {
        maxDepth: 12,
        maxAliases: 30,
        maxTokens: 3000,
        maxDirectives: 20,
        maxCost: 10000,
        maxErrors: 50,
      },
      transport: {
        maxBodyBytes: 1_048_576,
        wsConnectionInitTimeoutMs: 3000,
        wsMaxSubscriptionsPerConnection: 100,
        wsMaxConnectionsPerPrincipal: 20,
        wsMaxMessagesPerSecond: 200,
      },
      rate: {
        userPerSecond: 50,
        anonymousPerSecond: 20,
        operatorPerSecond: 5000,
        authFailuresPerMinute: 20,
        costPerPoint: 500,
      },
    });
    expect(
      loadConfig({ MAX_QUERY_COST: '77', WS_MAX_SUBSCRIPTIONS: '3', WS_MAX_MESSAGES_PER_S: '9' }).limits,
    ).toMatchObject({
      operation: { maxCost: 77 },
      transport: { wsMaxSubscriptionsPerConnection: 3, wsMaxMessagesPerSecond: 9 },
    });
  });

  it('binds loopback by default; HOST opts in to other addresses, never with the built-in dev secret', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '::1' }).host).toBe('::1');
    expect(loadConfig({ HOST: 'localhost' }).host).toBe('localhost');
    expect(loadConfig({ HOST: '0.0.0.0', JWT_SECRET: 'x'.repeat(32) }).host).toBe('0.0.0.0');
    for (const HOST of ['0.0.0.0', '::', '10.1.2.3', 'api.example.com'])
      expect(() => loadConfig({ HOST })).toThrow(
        /HOST=.* is not a loopback address, and JWT_SECRET is not set/,
      );
  });

  it('allows no other origin by default; CORS_ORIGINS lists origins, or * allows every one', () => {
    expect(loadConfig({}).corsOrigins).toEqual({ any: false, origins: [] });
    expect(loadConfig({ CORS_ORIGINS: 'https://app.example, http://localhost:3000' }).corsOrigins).toEqual({
      any: false,
      origins: ['https://app.example', 'http://localhost:3000'],
    });
    expect(loadConfig({ CORS_ORIGINS: '*' }).corsOrigins).toEqual({ any: true });
  });

  it('requires JWT_SECRET with DATABASE_URL', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://root@127.0.0.1:3306/test' })).toThrow(
      /JWT_SECRET is required/,
    );
  });

  it('defaults the feed to redis when REDIS_URL is set', () => {
    const c = loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', JWT_SECRET: 'x'.repeat(32) });
    expect(c.priceFeed).toBe('redis');
    expect(c.seedDemo).toBe(true);
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be a port number/],
    [{ PORT: '70000' }, /PORT must be a port number/],
    [
      { DATABASE_URL: 'postgres://x/y', JWT_SECRET: 'x'.repeat(32) },
      /DATABASE_URL must start with mysql:\/\//,
    ],
    [{ DATABASE_URL: 'not a url' }, /DATABASE_URL is not a URL/],
    [{ REDIS_URL: 'http://x' }, /REDIS_URL must start with redis:\/\//],
    [{ PRICE_FEED: 'kafka' }, /PRICE_FEED must be one of simulated, redis, none/],
    [{ PRICE_FEED: 'redis' }, /PRICE_FEED=redis needs REDIS_URL/],
    [{ MAX_PRICES_PER_CALL: '0' }, /MAX_PRICES_PER_CALL must be a positive integer/],
    [{ JWT_SECRET: 'short' }, /at least 32 characters/],
    [{ SEED_DEMO: 'maybe' }, /SEED_DEMO must be true or false/],
    [{ REDIS_PREFIX: 'has space' }, /REDIS_PREFIX must be 1-64 characters/],
    [{ INTEREST_ACCRUAL: 'sometimes' }, /INTEREST_ACCRUAL must be true or false/],
    [{ INTEREST_ACCRUAL_INTERVAL_MS: '0' }, /INTEREST_ACCRUAL_INTERVAL_MS must be a positive integer/],
    [{ INTEREST_ACCRUAL_BATCH: 'x' }, /INTEREST_ACCRUAL_BATCH must be a positive integer/],
    [{ MAX_QUERY_DEPTH: '0' }, /MAX_QUERY_DEPTH must be a positive integer/],
    [{ RATE_LIMIT_USER_PER_S: '1e3' }, /RATE_LIMIT_USER_PER_S must be a positive integer/],
    [{ ALLOW_INTROSPECTION: 'sometimes' }, /ALLOW_INTROSPECTION must be true or false/],
    [{ HOST: 'not a host' }, /HOST must be an IP address or a host name/],
    [{ CORS_ORIGINS: 'https://app.example/' }, /CORS_ORIGINS must list origins/],
    [{ CORS_ORIGINS: 'app.example' }, /CORS_ORIGINS must list origins/],
    [{ CORS_ORIGINS: 'ftp://app.example' }, /CORS_ORIGINS must list origins/],
    [{ CORS_ORIGINS: '*,https://app.example' }, /CORS_ORIGINS is either \* alone/],
  ])('rejects %j with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
