import { once } from 'node:events';
import { AccountEntity } from '../../src/entities';
import { shardOf } from '../../src/services/events/shards';
import { backends } from '../helpers/backends';
import { applyFill, bookCaughtUp, pmAccount, publishPrices } from '../helpers/money';
import { repeatUntil, startTestApp, subscribe, type TestApp } from '../helpers/test-app';

const RATIO =
  'subscription($a: ID) { marginRatio(accountId: $a) { accountId risk { status accountEquity } } }';
const FEED = 'subscription { riskStatusChanged { accountId from to } }';
const SET_LEVEL = 'mutation($level: Decimal) { setMarginCallLevel(level: $level) { id } }';
const ALERT = 'subscription { marginCallAlert { risk { status } } }';
type Alert = { marginCallAlert: { risk: { status: string } } };
const AT_RISK = '{ atRiskAccounts(first: 5) { accountId risk { status } } }';
const SHARDS = { RISK_SHARDS: '2', RISK_LEASE_TTL_MS: '6000' };

type Ratio = { marginRatio: { accountId: string; risk: { status: string; accountEquity: string } } };
type Change = { riskStatusChanged: { accountId: string; from: string; to: string } };

/** Resolves once the instance has heard a fresh at-risk list of each of `shards` (published every second). */
async function boardsAfterNow(t: TestApp, shards: number[]): Promise<void> {
  const heard = new Set<number>();
  for await (const { shard } of t.app.services.bus.subscribe('AT_RISK', '*', 64)) {
    heard.add(shard);
    if (shards.every((s) => heard.has(s))) return;
  }
}

/**
 * Resolves once `t` listens on the bus key ending in `key` and its Redis subscription is live: a probe
 * subscribed after it (Redis runs one connection's commands in order) hears `from`'s publishes.
 */
async function listeningOverRedis(t: TestApp, from: TestApp, key: string): Promise<void> {
  const { bus } = t.app.services;
  await bus.listeners.until((tally) => [...tally.entries().keys()].some((k) => k.endsWith(key)));
  const probe = bus.subscribe('MARGIN_CALL', `probe-${key}`, 4);
  await repeatUntil(probe.next(), async () =>
    from.app.services.bus.publish('MARGIN_CALL', `probe-${key}`, { accountId: 'probe' }),
  );
  await probe.return?.();
}

/**
 * Two instances, two shards: each shard has one owner (a lease), any instance serves any account's
 * subscribers, and when the owner stops the other instance takes its shards over and decides their accounts.
 */
describe.each(backends())('risk shards and their owners on $name', (backend) => {
  let a: TestApp;
  let b: TestApp;
  let op: string;
  beforeAll(async () => {
    a = await startTestApp(backend, { env: SHARDS });
    b = await startTestApp(backend, { env: SHARDS, instanceOf: a });
    op = await a.operatorToken();
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  it('serves both shards on either instance, and the survivor takes over the shards of one that stops', async () => {
    // Accounts until both shards have one (ids are consecutive, so two suffice).
    const first = await pmAccount(a, { USDT: '20000' });
    const second = await pmAccount(a, { USDT: '20000' });
    const accounts = [first, second];
    expect(new Set(accounts.map((x) => shardOf(x.id, 2)))).toEqual(new Set([0, 1]));
    for (const x of accounts) {
      await applyFill(a, op, x.id, 'BTCUSDT', 'BUY', '1.5', '90000');
      await bookCaughtUp(a, x.id);
    }
    await publishPrices(a, op, { BTC: '90000', BTCUSDT: '90000' });

    // The first instance took both shards at its start; the second owns none and holds no account.
    expect(a.app.services.ownership.held).toEqual([0, 1]);
    expect(b.app.services.ownership.held).toEqual([]);
    expect(accounts.some((x) => b.app.services.riskBook.book.has(x.id))).toBe(false);

    // Subscribers of both shards on the second instance: their accounts are mirrored there while watched.
    const watchers = accounts.map((x) =>
      subscribe<Ratio>(b.wsClient({ authorization: `Bearer ${x.token}` }), RATIO),
    );
    for (const w of watchers) expect((await w.next()).marginRatio.risk.status).toBe('NORMAL');

    const opB = await b.operatorToken();
    const feedOpened = once(b.app.services.statusFeed.events, 'open');
    const feed = subscribe<Change>(b.wsClient({ authorization: `Bearer ${opB}` }), FEED);
    await feedOpened;
    const transitions = async (from: string, to: string) => {
      const changes = [await feed.next(), await feed.next()].map((c) => c.riskStatusChanged);
      expect(changes.map((c) => c.accountId).sort()).toEqual(accounts.map((x) => x.id).sort());
      for (const c of changes) expect(c).toMatchObject({ from, to });
    };
    if (backend.redisUrl) {
      // Instances share prices and events over Redis: the owner's announcements reach the other's subscribers,
      // margin calls included (the alert shows the risk from the serving instance's mirror).
      const [x] = accounts;
      const level = await b.gql(SET_LEVEL, { level: '1.5' }, x.token);
      expect(level.errors).toBeUndefined();
      const alerts = subscribe<Alert>(b.wsClient({ authorization: `Bearer ${x.token}` }), ALERT);
      await listeningOverRedis(b, a, `MARGIN_CALL:${x.id}`);
      await bookCaughtUp(b, x.id);
      await publishPrices(a, op, { BTC: '77150', BTCUSDT: '77150' });
      await transitions('NORMAL', 'MARGIN_CALL');
      expect((await alerts.next()).marginCallAlert.risk.status).toBe('MARGIN_CALL');
      alerts.close();
      for (const w of watchers) expect((await w.next()).marginRatio.risk.status).toBe('MARGIN_CALL');
      // The owner's ranking reaches the other instance too: atRiskAccounts there lists both accounts.
      await boardsAfterNow(b, [0, 1]);
      const listed = await b.gql<{ atRiskAccounts: { accountId: string; risk: { status: string } }[] }>(
        AT_RISK,
        {},
        opB,
      );
      expect(listed.data!.atRiskAccounts.map((x) => x.accountId).sort()).toEqual(
        accounts.map((x) => x.id).sort(),
      );
      for (const x of listed.data!.atRiskAccounts) expect(x.risk.status).toBe('MARGIN_CALL');
      await publishPrices(a, op, { BTC: '90000', BTCUSDT: '90000' });
      await transitions('MARGIN_CALL', 'NORMAL');
      for (const w of watchers) expect((await w.next()).marginRatio.risk.status).toBe('NORMAL');
      expect(b.app.services.statusAnnouncer.announced).toBe(0);
    }

    // The owner stops: the survivor takes both shards over (the lease released, its next try) and loads them.
    const takeover = Promise.all([0, 1].map((shard) => b.app.services.shardFeeds.streams[shard].nextLoad()));
    await a.app.stop(); // the instance only: the database stays for the survivor (closed in afterAll)
    await takeover;
    expect(b.app.services.ownership.held).toEqual([0, 1]);

    // Now it decides and announces their transitions: at 77,150 each is in MARGIN_CALL.
    await publishPrices(b, opB, { BTC: '77150', BTCUSDT: '77150' });
    await transitions('NORMAL', 'MARGIN_CALL');
    for (const w of watchers) expect((await w.next()).marginRatio.risk.status).toBe('MARGIN_CALL');
    const rows = await b.db.ds.getRepository(AccountEntity).findBy(accounts.map((x) => ({ id: x.id })));
    expect(rows.map((r) => r.riskStatus)).toEqual(['MARGIN_CALL', 'MARGIN_CALL']);
    feed.close();
    for (const w of watchers) w.close();
  }, 120_000);
});
