import Redis from 'ioredis';
import { backends } from '../helpers/backends';
import { code, fundedAccount, newKey, publishPrices, transfer, DEPOSIT } from '../helpers/money';
import { startPrivateRedis, type PrivateRedis } from '../helpers/private-redis';
import { startTcpProxy, targetOf, type TcpProxy } from '../helpers/tcp-proxy';
import { repeatUntil, startTestApp, type TestApp } from '../helpers/test-app';

/** Resolves once `check` holds, checking after each of the app's own turns (at most `timeoutMs`). */
async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The first message on a channel of the app's deployment matching `pattern`, seen by a raw Redis client. */
async function nextMessage(
  redisUrl: string,
  pattern: string,
): Promise<{ close(): void; message: Promise<string> }> {
  const listener = new Redis(redisUrl, { maxRetriesPerRequest: 0 });
  listener.on('error', () => undefined);
  await listener.psubscribe(pattern);
  const message = new Promise<string>((resolve) =>
    listener.once('pmessage', (_p, _c, m: string) => resolve(m)),
  );
  return { close: () => listener.disconnect(), message };
}

describe.each(backends())('Redis outage on $name', (backend) => {
  let redis: PrivateRedis;
  let t: TestApp;
  let op: string;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    t = await startTestApp(backend, { redisUrl: redis.url });
    op = await t.operatorToken();
  });
  afterAll(async () => {
    await t?.stop();
    await redis?.stop();
  });

  it('keeps serving while Redis is down, counts the lost events, and carries events again when it returns', async () => {
    const { bus, config } = t.app.services;
    const acct = await fundedAccount(t, { USDT: '100' });
    await redis.kill();

    // Each of these publishes on the bus; Redis refuses, and the process lives on.
    const moved = await transfer(t, acct.token, 'USDT', '10', 'SPOT', 'CROSS_MARGIN');
    expect(moved.errors).toBeUndefined();
    await publishPrices(t, op, { BTC: '91000' });
    await until(() => bus.stats().publishFailures >= 2);
    const assets = await t.gql<{ assets: unknown[] }>('{ assets { symbol } }');
    expect(assets.data?.assets.length).toBeGreaterThan(0);

    await redis.restart();
    // Publishing reconnects: a batch published now reaches Redis.
    const published = await nextMessage(redis.url, `${config.redisPrefix}:PRICE_BATCH:*`);
    try {
      await repeatUntil(published.message, () => publishPrices(t, op, { BTC: '92000' }));
    } finally {
      published.close();
    }
    // Subscribing reconnects: a batch another instance publishes reaches this one.
    const feed = new Redis(redis.url);
    try {
      const seen = until(async () => {
        const res = await t.gql<{ prices: { symbol: string; price: string }[] }>(
          '{ prices { symbol price } }',
        );
        return res.data!.prices.some((p) => p.symbol === 'ETH' && p.price === '3333');
      });
      await repeatUntil(seen, () =>
        feed.publish(
          `${config.redisPrefix}:PRICE_BATCH:*`,
          JSON.stringify({ prices: [{ symbol: 'ETH', price: '3333', updatedAt: new Date().toISOString() }] }),
        ),
      );
    } finally {
      feed.disconnect();
    }
  });
});

type ServedPrices = { prices: { symbol: string; price: string }[] };

describe.each(backends())('Redis price feed input on $name', (backend) => {
  let redis: PrivateRedis;
  let t: TestApp;
  let feed: Redis;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    t = await startTestApp(backend, { redisUrl: redis.url });
    feed = new Redis(redis.url);
  });
  afterAll(async () => {
    feed?.disconnect();
    await t?.stop();
    await redis?.stop();
  });

  const now = () => new Date().toISOString();
  /** Prices publishPrices refuses with BAD_USER_INPUT; the feed must drop them too. */
  const BAD_PRICES: unknown[] = [
    'abc',
    '-1',
    '0',
    '1e5',
    ' 1',
    '1.0000000000000000001',
    '10000000000000000',
    1,
  ];
  const BAD_POINTS: Record<string, unknown>[] = [
    ...BAD_PRICES.map((price) => ({ symbol: 'BTC', price, updatedAt: now() })),
    { symbol: 'NOPE', price: '1', updatedAt: now() },
    { symbol: 'BTC', price: '1' },
    { symbol: 'BTC', price: '1', updatedAt: 'yesterday' },
    { symbol: 'BTC', price: '1', updatedAt: '2999-01-01T00:00:00Z' },
    { price: '1', updatedAt: now() },
    { symbol: 'BTC', updatedAt: now() },
  ];

  it('drops a bad batch whole, logs and counts it, and goes on with the next', async () => {
    const { config, bus, prices } = t.app.services;
    const channel = `${config.redisPrefix}:PRICE_BATCH:*`;
    const good = (price: string) => ({ symbol: 'BTC', price, updatedAt: now() });
    const messages = [
      'not json',
      '{"prices": [',
      'null',
      '[]',
      '{}',
      JSON.stringify({ prices: 'BTC' }),
      JSON.stringify({ prices: [] }),
      ...BAD_POINTS.map((p) => JSON.stringify({ prices: [p] })),
      // A good point does not carry a bad one in the same batch.
      ...BAD_POINTS.map((p) => JSON.stringify({ prices: [good('1'), p] })),
    ];
    const malformedBefore = bus.stats().malformedMessages;
    const rejectedBefore = prices.rejectedBatches;
    // Redis delivers one connection's messages in order: once the good batch is applied, all were seen.
    for (const message of messages) await feed.publish(channel, message);
    await feed.publish(channel, JSON.stringify({ prices: [good('95000.5')] }));
    await until(async () => {
      const res = await t.gql<ServedPrices>('{ prices { symbol price } }');
      return res.data!.prices.some((p) => p.symbol === 'BTC' && p.price === '95000.5');
    });
    expect(bus.stats().malformedMessages - malformedBefore).toBe(2);
    expect(prices.rejectedBatches - rejectedBefore).toBe(messages.length - 2);
    const served = await t.gql<ServedPrices>('{ prices { symbol price } }');
    expect(served.errors).toBeUndefined();
  });

  it('publishPrices refuses the same prices and symbols', async () => {
    const op = await t.operatorToken();
    const send = (symbol: string, price: unknown) =>
      t.gql('mutation($p: [PriceInput!]!) { publishPrices(prices: $p) }', { p: [{ symbol, price }] }, op);
    for (const price of BAD_PRICES)
      expect([price, code(await send('BTC', price))]).toEqual([price, 'BAD_USER_INPUT']);
    expect(code(await send('NOPE', '1'))).toBe('UNKNOWN_SYMBOL');
  });
});

// The database outage needs a server to cut off: MariaDB (DATABASE_URL), as in CI.
const mysql = backends().find((b) => b.name === 'mysql');
if (mysql) {
  describe('database outage on mysql', () => {
    let proxy: TcpProxy;
    let t: TestApp;
    let op: string;
    beforeAll(async () => {
      proxy = await startTcpProxy(targetOf(process.env.DATABASE_URL!));
      t = await startTestApp(mysql, {
        databaseVia: (url) => proxy.urlFor(url),
        env: { DB_ACQUIRE_TIMEOUT_MS: '1000' },
      });
      op = await t.operatorToken();
    });
    afterAll(async () => {
      await proxy?.reopen();
      await t?.stop();
      await proxy?.stop();
    });

    const deposit = (accountId: string) =>
      t.gql(DEPOSIT, { accountId, asset: 'USDT', amount: '1', key: newKey('dep') }, op);

    async function expectUnavailable(accountId: string, apiKey: string): Promise<void> {
      const moved = await deposit(accountId);
      expect(code(moved)).toBe('SERVICE_UNAVAILABLE');
      expect(moved.errors![0].extensions!.retryable).toBe(true);
      expect(JSON.stringify(moved.errors)).not.toMatch(/ECONN|127\.0\.0\.1|stack|SELECT/);
      const me = await t.gql('{ me { id } }', {}, null, { 'x-api-key': apiKey });
      expect(code(me)).toBe('SERVICE_UNAVAILABLE');
      // What needs no database still answers.
      const assets = await t.gql<{ assets: unknown[] }>('{ assets { symbol } }');
      expect(assets.errors).toBeUndefined();
    }

    it('answers SERVICE_UNAVAILABLE while the database is unreachable or hangs, and recovers', async () => {
      const acct = await fundedAccount(t, { USDT: '100' });
      const key = await t.gql<{ createApiKey: { secret: string } }>(
        'mutation { createApiKey(label: "outage", scopes: [READ]) { secret } }',
        {},
        acct.token,
      );
      const apiKey = key.data!.createApiKey.secret;

      await proxy.close(); // connections refused
      await expectUnavailable(acct.id, apiKey);
      await proxy.blackhole(); // connections accepted, never answered: the acquire timeout ends the wait
      await expectUnavailable(acct.id, apiKey);

      await proxy.reopen();
      expect((await deposit(acct.id)).errors).toBeUndefined();
      const me = await t.gql<{ me: { id: string } }>('{ me { id } }', {}, null, { 'x-api-key': apiKey });
      expect(me.data?.me.id).toBe(acct.id);
    });
  });
}
