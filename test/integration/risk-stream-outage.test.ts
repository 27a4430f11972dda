import { backends } from '../helpers/backends';
import { bookCaughtUp, pmAccount, transfer } from '../helpers/money';
import { startPrivateRedis, type PrivateRedis } from '../helpers/private-redis';
import { startTestApp, subscribe, type TestApp } from '../helpers/test-app';

const RATIO = 'subscription { marginRatio { risk { accountEquity } } }';
type Ratio = { marginRatio: { risk: { accountEquity: string } } };

/**
 * The account stream is a Redis Stream: when Redis dies and comes back empty, every entry relayed meanwhile
 * is gone. The book notices the failed read, loads its shard again, and pushes the value of the change
 * committed during the outage.
 */
describe.each(backends())('the risk book across a Redis restart on $name', (backend) => {
  let redis: PrivateRedis;
  let t: TestApp;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    t = await startTestApp(backend, { redisUrl: redis.url, env: { RISK_LEASE_TTL_MS: '1500' } });
  });
  afterAll(async () => {
    await t?.stop();
    await redis?.stop();
  });

  it('reloads after the restart and pushes the value of a change committed while Redis was down', async () => {
    const a = await pmAccount(t, { USDT: '20000' });
    await bookCaughtUp(t, a.id);
    const ratio = subscribe<Ratio>(t.wsClient({ authorization: `Bearer ${a.token}` }), RATIO);
    expect((await ratio.next()).marginRatio.risk.accountEquity).toBe('20000');

    const reloaded = t.app.services.shardFeeds.streams[0].nextLoad();
    await redis.kill();
    const moved = await transfer(t, a.token, 'USDT', '5000', 'PORTFOLIO_MARGIN', 'SPOT');
    expect(moved.errors).toBeUndefined();
    await redis.restart();
    await reloaded;

    let equity = '';
    while (equity !== '15000') equity = (await ratio.next(30_000)).marginRatio.risk.accountEquity;
    await bookCaughtUp(t, a.id);
    expect(t.app.services.riskBook.book.exact(a.id)?.result.accountEquity.toFixed()).toBe('15000');
    ratio.close();
  });
});
