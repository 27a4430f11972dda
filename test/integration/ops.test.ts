import { once } from 'node:events';
import { backends } from '../helpers/backends';
import { applyFill, pmAccount, publishPrices } from '../helpers/money';
import { startPrivateRedis, type PrivateRedis } from '../helpers/private-redis';
import { startTcpProxy, targetOf, type TcpProxy } from '../helpers/tcp-proxy';
import { repeatUntil, startTestApp, subscribe, type TestApp } from '../helpers/test-app';

const origin = (t: TestApp): string => new URL(t.url).origin;

interface ReadyBody {
  status: string;
  checks: Record<string, { ok: boolean; error?: string }>;
}

async function readyz(t: TestApp): Promise<{ status: number; body: ReadyBody }> {
  const res = await fetch(`${origin(t)}/readyz`);
  return { status: res.status, body: (await res.json()) as ReadyBody };
}

/** Polls /readyz until it answers `status` (an outage takes effect asynchronously), for up to 30 s. */
async function readyzBecomes(t: TestApp, status: number): Promise<ReadyBody> {
  let last = await readyz(t);
  for (let i = 0; i < 150 && last.status !== status; i++) {
    await new Promise((r) => setTimeout(r, 200));
    last = await readyz(t);
  }
  expect(last.status).toBe(status);
  return last.body;
}

/** One sample's value from the Prometheus text format. */
function sample(metrics: string, name: string, labels = ''): number | null {
  const line = metrics
    .split('\n')
    .find((l) => l.startsWith(`${name}${labels} `) || l.startsWith(`${name}${labels}{`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : null;
}

describe.each(backends())('operations endpoints on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(() => t?.stop());

  it('says the process is up at /healthz and /health, and ready at /readyz', async () => {
    for (const path of ['/healthz', '/health']) {
      const res = await fetch(`${origin(t)}${path}`);
      expect([res.status, await res.json()]).toEqual([200, { status: 'ok' }]);
    }
    const ready = await readyz(t);
    expect(ready.status).toBe(200);
    expect(ready.body.checks.database).toEqual({ ok: true });
    if (backend.redisUrl) expect(ready.body.checks.redis).toEqual({ ok: true });
  });

  it('serves Prometheus metrics: operations by name and outcome, sockets and subscriptions', async () => {
    await t.gql('query Catalogue { assets { symbol } }');
    await t.gql('query Mine { me { id } }');
    const client = t.wsClient();
    const prices = subscribe(client, 'subscription { prices(symbols: ["BTC"]) { price } }');
    const operator = await t.operatorToken();
    let price = 90_000;
    await repeatUntil(prices.next(), () =>
      t.gql(`mutation { publishPrices(prices: [{ symbol: "BTC", price: "${++price}" }]) }`, {}, operator),
    );
    const res = await fetch(`${origin(t)}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const metrics = await res.text();
    expect(
      sample(
        metrics,
        'graphql_operation_duration_seconds_count',
        '{operation="Catalogue",type="query",outcome="ok"}',
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(
        metrics,
        'graphql_operation_duration_seconds_count',
        '{operation="Mine",type="query",outcome="UNAUTHENTICATED"}',
      ),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(metrics, 'graphql_ws_sockets')).toBeGreaterThanOrEqual(1);
    expect(sample(metrics, 'graphql_ws_subscriptions')).toBeGreaterThanOrEqual(1);
    for (const name of [
      'risk_push_tick_to_push_seconds_count',
      'risk_book_recompute_seconds',
      'db_pool_connections',
      'process_cpu_seconds_total',
    ])
      expect(metrics).toContain(name);
    prices.close();
  });

  it('after a price tick shows the tick-to-push lag, the book recompute, announced transitions and open feeds', async () => {
    const scrape = async () => (await fetch(`${origin(t)}/metrics`)).text();
    const op = await t.operatorToken();
    const a = await pmAccount(t, { USDT: '20000' });
    await applyFill(t, op, a.id, 'BTCUSDT', 'BUY', '1.5', '90000');
    await publishPrices(t, op, { BTC: '90000', BTCUSDT: '90000' });
    await t.app.services.riskBook.idle();
    const opened = once(t.app.services.statusFeed.events, 'open');
    const feed = subscribe(
      t.wsClient({ authorization: `Bearer ${op}` }),
      'subscription { riskStatusChanged { to } }',
    );
    await opened;
    const ratio = subscribe(
      t.wsClient({ authorization: `Bearer ${a.token}` }),
      'subscription { marginRatio { risk { status } } }',
    );
    await ratio.next();
    const before = await scrape();

    // At 77,150 the account is in MARGIN_CALL (as in risk-status.test.ts).
    await publishPrices(t, op, { BTC: '77150', BTCUSDT: '77150' });
    expect(await ratio.next()).toEqual({ marginRatio: { risk: { status: 'MARGIN_CALL' } } });
    expect(await feed.next()).toEqual({ riskStatusChanged: { to: 'MARGIN_CALL' } });
    await t.app.services.riskBook.idle();
    const after = await scrape();

    const grew = (name: string, labels = '') => [
      sample(before, name, labels) ?? 0,
      sample(after, name, labels),
    ];
    const [lagBefore, lagAfter] = grew('risk_push_tick_to_push_seconds_count');
    expect(lagAfter).toBeGreaterThan(lagBefore!);
    for (const scope of ['slice', 'drain']) {
      const [was, is] = grew('risk_book_recompute_seconds_count', `{scope="${scope}"}`);
      expect(is).toBeGreaterThan(was!);
    }
    const [announcedBefore, announcedAfter] = grew('risk_status_transitions_announced');
    expect(announcedAfter).toBeGreaterThan(announcedBefore!);
    expect(sample(after, 'risk_status_feed_subscriptions')).toBeGreaterThanOrEqual(1);
    feed.close();
    ratio.close();
  });
});

// MariaDB only: the proxy stands in front of a server (SQLite has none to lose).
for (const mysql of backends().filter((b) => b.name === 'mysql')) {
  describe('readiness through outages (MariaDB behind a TCP proxy, a private Redis)', () => {
    let proxy: TcpProxy;
    let redis: PrivateRedis;
    let t: TestApp;
    beforeAll(async () => {
      proxy = await startTcpProxy(targetOf(process.env.DATABASE_URL!));
      redis = await startPrivateRedis();
      t = await startTestApp(mysql, {
        databaseVia: (url) => proxy.urlFor(url),
        redisUrl: redis.url,
        env: { READY_TIMEOUT_MS: '1000' },
      });
    });
    afterAll(async () => {
      await t?.stop();
      await redis?.stop();
      await proxy?.stop();
    });

    it('answers 503 while the database is unreachable and 200 again when it returns', async () => {
      await readyzBecomes(t, 200);
      await proxy.close();
      const down = await readyzBecomes(t, 503);
      expect(down.checks.database.ok).toBe(false);
      expect(down.checks.redis).toEqual({ ok: true });
      await proxy.reopen();
      await readyzBecomes(t, 200);
    });

    it('answers 503 while Redis is unreachable and 200 again when it returns', async () => {
      await redis.kill();
      const down = await readyzBecomes(t, 503);
      expect(down.checks.redis.ok).toBe(false);
      expect(down.checks.database).toEqual({ ok: true });
      await redis.restart();
      await readyzBecomes(t, 200);
    });
  });
}
