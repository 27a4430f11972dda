import { startApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { backends } from '../helpers/backends';
import { code, fundedAccount, newKey, pmAccount, transfer, applyFill, publishPrices } from '../helpers/money';
import { repeatUntil, subscribe, takeEvents, TEST_JWT_SECRET } from '../helpers/test-app';
import { suiteTestApp } from '../helpers/suite';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

type RiskEvent = {
  marginRatio: { accountId: string; risk: { status: string; accountEquity: string; uniMMR: string | null } };
};
const MARGIN_RATIO =
  'subscription($id: ID) { marginRatio(accountId: $id) { accountId risk { status accountEquity uniMMR } } }';

describe.each(backends())('live push on $name', (backend) => {
  const suite = suiteTestApp(backend);

  const publish = (prices: Record<string, string>) => publishPrices(suite.t, suite.op, prices);

  it('sends the current risk first, then a recompute on each price move and balance change, nothing else', async () => {
    const a = await pmAccount(suite.t, { USDT: '1000', BTC: '1' });
    const live = subscribe<RiskEvent>(suite.t.wsClient({ authorization: `Bearer ${a.token}` }), MARGIN_RATIO);
    const equity = async () => (await live.next()).marginRatio.risk.accountEquity;
    expect(await equity()).toBe('86500'); // 1,000 + 1 BTC x 90,000 x 0.95
    await publish({ BTC: '80000' });
    expect(await equity()).toBe('77000');
    // A deposit into SPOT changes no risk: no event; the transfer into PM does.
    await suite.t.gql(
      'mutation($a: ID!, $k: String!) { deposit(accountId: $a, asset: "USDT", amount: "10", idempotencyKey: $k) { free } }',
      { a: a.id, k: newKey() },
      suite.op,
    );
    await publish({ ETH: '3001' });
    await transfer(suite.t, a.token, 'USDT', '10', 'SPOT', 'PORTFOLIO_MARGIN');
    expect(await equity()).toBe('77010');
    live.close();
    await publish({ BTC: '90000', ETH: '3000' });
  });

  it('pushes a status change to riskStatusChanged subscribers', async () => {
    const a = await pmAccount(suite.t, { USDT: '20000' });
    await applyFill(suite.t, suite.op, a.id, 'BTCUSDT', 'BUY', '1.5', '90000');
    const client = suite.t.wsClient({ authorization: `Bearer ${a.token}` });
    const changes = takeEvents<{ riskStatusChanged: { from: string; to: string; risk: { status: string } } }>(
      client,
      'subscription { riskStatusChanged { from to risk { status } } }',
      {},
      1,
    );
    // At 77,150 the account is in MARGIN_CALL (uniMMR 725 / 528.625), at 90,000 NORMAL: each flip is a change.
    let flip = 0;
    const [change] = await repeatUntil(
      changes,
      () => {
        const price = flip++ % 2 === 0 ? '77150' : '90000';
        return publish({ BTC: price, BTCUSDT: price });
      },
      150,
    );
    expect([change.riskStatusChanged.from, change.riskStatusChanged.to].sort()).toEqual([
      'MARGIN_CALL',
      'NORMAL',
    ]);
    expect(change.riskStatusChanged.risk.status).toBe(change.riskStatusChanged.to);
    await publish({ BTC: '90000', BTCUSDT: '90000' });
  });

  it('pushes changed wallets to walletUpdated subscribers', async () => {
    const a = await fundedAccount(suite.t, { USDT: '100' });
    const client = suite.t.wsClient({ authorization: `Bearer ${a.token}` });
    const updates = takeEvents<{
      walletUpdated: { wallet: { type: string; balances: { asset: string; free: string }[] } };
    }>(client, 'subscription { walletUpdated { accountId wallet { type balances { asset free } } } }', {}, 2);
    let n = 0;
    const got = await repeatUntil(
      updates,
      () => transfer(suite.t, a.token, 'USDT', '1', 'SPOT', 'CROSS_MARGIN', `live-${a.id}-${n++}`),
      200,
    );
    expect(got.map((g) => g.walletUpdated.wallet.type).sort()).toEqual(['CROSS_MARGIN', 'SPOT']);
  });

  it('refuses another account, a CLASSIC account and a bad interval', async () => {
    const a = await pmAccount(suite.t, { USDT: '1000' });
    const b = await fundedAccount(suite.t, { USDT: '1' });
    const client = suite.t.wsClient({ authorization: `Bearer ${b.token}` });
    await expect(takeEvents(client, MARGIN_RATIO, { id: a.id }, 1, 5000)).rejects.toThrow(/FORBIDDEN/);
    await expect(takeEvents(client, MARGIN_RATIO, {}, 1, 5000)).rejects.toThrow(/PM_NOT_ACTIVE/);
    await expect(
      takeEvents(client, 'subscription { marginRatio(minIntervalMs: -1) { accountId } }', {}, 1, 5000),
    ).rejects.toThrow(/BAD_USER_INPUT/);
    const anonymous = suite.t.wsClient();
    await expect(takeEvents(anonymous, MARGIN_RATIO, {}, 1, 5000)).rejects.toThrow(/UNAUTHENTICATED/);
    expect(code({ errors: [] })).toBeUndefined();
  });

  if (backend.redisUrl) {
    it('pushes a change made on another instance (Redis between instances)', async () => {
      const a = await pmAccount(suite.t, { USDT: '1000' });
      const other: App = await startApp(
        {
          ...loadConfig({ JWT_SECRET: TEST_JWT_SECRET, PRICE_FEED: 'none', SEED_DEMO: 'false' }),
          port: 0,
          databaseUrl: suite.t.db.databaseUrl,
          redisUrl: backend.redisUrl,
          redisPrefix: suite.t.app.services.config.redisPrefix,
        },
        { dataSource: suite.t.db.ds },
      );
      const client = createClient({
        url: other.server.wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${a.token}` },
        retryAttempts: 0,
      });
      try {
        const live = subscribe<RiskEvent>(client, MARGIN_RATIO);
        expect((await live.next()).marginRatio.risk.accountEquity).toBe('1000');
        await suite.t.gql(
          'mutation($a: ID!, $k: String!) { deposit(accountId: $a, asset: "USDT", amount: "5", idempotencyKey: $k) { free } }',
          { a: a.id, k: newKey() },
          suite.op,
        );
        await transfer(suite.t, a.token, 'USDT', '5', 'SPOT', 'PORTFOLIO_MARGIN');
        expect((await live.next()).marginRatio.risk.accountEquity).toBe('1005');
      } finally {
        await client.dispose();
        await other.stop();
      }
    });
  }
});
