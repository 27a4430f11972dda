import { loadConfig } from '../../src/config';
import type { ApiError } from '../../src/errors';
import { RateLimiter } from '../../src/server/limits/rate-limits';
import { backends } from '../helpers/backends';
import { code, fundedAccount } from '../helpers/money';
import { startPrivateRedis, type PrivateRedis } from '../helpers/private-redis';
import { rawPost } from '../helpers/raw';
import { startTestApp, type GqlResult, type TestApp } from '../helpers/test-app';

const PROBE = '{ assets { symbol } }';
const codes = (results: GqlResult[]) => results.map((r) => code(r) ?? 'OK');
const burst = (n: number, send: () => Promise<GqlResult>) => Promise.all(Array.from({ length: n }, send));

describe.each(backends())('rate limits on $name', (backend) => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp(backend, {
      env: {
        RATE_LIMIT_ANON_PER_S: '3',
        RATE_LIMIT_USER_PER_S: '10',
        RATE_LIMIT_OPERATOR_PER_S: '100000',
        RATE_LIMIT_AUTH_FAIL_PER_MIN: '1000',
        RATE_LIMIT_COST_PER_POINT: '100',
      },
    });
    token = (await fundedAccount(t, { USDT: '100' })).token;
  });
  afterAll(() => t?.stop());

  it('refuses anonymous bursts per IP with RATE_LIMITED, retryAfterMs and HTTP 429', async () => {
    const results = await burst(20, () => t.gql(PROBE));
    expect(codes(results)).toContain('RATE_LIMITED');
    const refused = results.find((r) => code(r) === 'RATE_LIMITED')!;
    expect(refused.status).toBe(429);
    expect(refused.errors![0].extensions!.retryAfterMs).toEqual(expect.any(Number));
    expect(refused.errors![0].extensions!.retryAfterMs as number).toBeGreaterThan(0);
    expect(refused.errors![0].extensions).not.toHaveProperty('http');
  });

  it('gives operators their own high budget', async () => {
    const op = await t.operatorToken();
    expect(codes(await burst(40, () => t.gql(PROBE, {}, op)))).toEqual(Array(40).fill('OK'));
  });

  it('draws more points for costlier operations', async () => {
    // 1 + floor(cost / 100) points: liquidationPrices weighs 1000, so 11 points, above the budget of 10.
    const res = await t.gql('{ me { liquidationPrices { asset } } }', {}, token);
    expect(code(res)).toBe('RATE_LIMITED');
    expect(res.errors![0].message).toMatch(/retry in \d+ ms/);
  });
});

describe.each(backends())('failed authentication on $name', (backend) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(backend, { env: { RATE_LIMIT_AUTH_FAIL_PER_MIN: '3' } });
  });
  afterAll(() => t?.stop());

  it('limits failed tokens and API keys per IP, then refuses the IP before checking credentials', async () => {
    const tries: string[] = [];
    for (let i = 0; i < 3; i++) tries.push(code(await t.gql('{ me { id } }', {}, `bad-${i}`)) ?? 'OK');
    const key = await rawPost(t.url, JSON.stringify({ query: '{ me { id } }' }), { 'x-api-key': 'nope' });
    tries.push(JSON.parse(key.body).errors[0].extensions.code);
    expect(tries).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED']);
    expect(key.status).toBe(429);
    const valid = await t.gql('{ me { id } }', {}, await t.userToken('1'));
    expect(code(valid)).toBe('RATE_LIMITED');
  });
});

describe('rate limits during a Redis outage', () => {
  let redis: PrivateRedis;
  let limiter: RateLimiter;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    const rate = loadConfig({ RATE_LIMIT_ANON_PER_S: '3' }).limits.rate;
    limiter = await RateLimiter.create(rate, redis.url, `test-${process.pid}-outage`);
  });
  afterAll(async () => {
    limiter?.close();
    await redis?.stop();
  });

  it('draws from Redis, then from in-memory budgets while Redis is down: never fails closed', async () => {
    const anonymous = { kind: 'anonymous' as const, key: 'ip:192.0.2.1' };
    const outcomes = () =>
      Promise.all(
        Array.from({ length: 6 }, () =>
          limiter.take(anonymous).then(
            () => 'OK',
            (error: ApiError) => error.code,
          ),
        ),
      );
    expect(await outcomes()).toEqual(['OK', 'OK', 'OK', 'RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
    await redis.kill();
    const during = await outcomes();
    expect(during).toContain('OK');
    expect(new Set(during)).toEqual(new Set(['OK', 'RATE_LIMITED']));
  });
});
