import { once, type EventEmitter } from 'node:events';
import type { Client } from 'graphql-ws';
import { AccountEntity } from '../../src/entities';
import { backends } from '../helpers/backends';
import { applyFill, bookCaughtUp, pmAccount, publishPrices } from '../helpers/money';
import { auditedTestApp } from '../helpers/suite';
import { startTestApp, subscribe } from '../helpers/test-app';

const FEED = `subscription($a: ID) { riskStatusChanged(accountId: $a) { accountId from to risk { status uniMMR } } }`;
const AT_RISK = `query($n: Int) { atRiskAccounts(first: $n) { accountId risk { status uniMMR } } }`;

interface Change {
  riskStatusChanged: {
    accountId: string;
    from: string;
    to: string;
    risk: { status: string; uniMMR: string };
  };
}

/** Resolves after `count` more `event`s of the emitter. */
function emitted(emitter: EventEmitter, event: string, count: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const listener = () => {
      if (++seen < count) return;
      emitter.off(event, listener);
      resolve();
    };
    emitter.on(event, listener);
  });
}

/**
 * Every transition of every PM account is persisted and announced, watched or not: the operator's feed without
 * accountId, the account's own feed, `atRiskAccounts`, and a restart that announces nothing old again.
 */
describe.each(backends())('risk status transitions on $name', (backend) => {
  const suite = auditedTestApp(backend);

  /** Subscribes and resolves once the server holds the subscription (its hook, no sleeping). */
  async function live(client: Client, variables: Record<string, unknown>) {
    const opened = once(suite.t.app.services.statusFeed.events, 'open');
    const sub = subscribe<Change>(client, FEED, variables);
    await opened;
    return sub;
  }

  const persisted = async (accountId: string) =>
    (await suite.t.db.ds.getRepository(AccountEntity).findOneByOrFail({ id: accountId })).riskStatus;

  it("an operator's feed without accountId gets the transition of an account nobody watches", async () => {
    const a = await pmAccount(suite.t, { USDT: '20000' });
    await applyFill(suite.t, suite.op, a.id, 'BTCUSDT', 'BUY', '1.5', '90000');
    await bookCaughtUp(suite.t, a.id);
    const operator = suite.t.wsClient({ authorization: `Bearer ${suite.op}` });
    const all = await live(operator, {});
    const own = await live(suite.t.wsClient({ authorization: `Bearer ${a.token}` }), {});

    // At 77,150 the account is in MARGIN_CALL (uniMMR 725 / 528.625).
    await publishPrices(suite.t, suite.op, { BTC: '77150', BTCUSDT: '77150' });
    const expected = {
      riskStatusChanged: {
        accountId: a.id,
        from: 'NORMAL',
        to: 'MARGIN_CALL',
        risk: { status: 'MARGIN_CALL', uniMMR: '1.37148262000472925' },
      },
    };
    expect(await all.next()).toEqual(expected);
    expect(await own.next()).toEqual(expected);
    expect(await persisted(a.id)).toBe('MARGIN_CALL');

    const ranked = await suite.t.gql<{ atRiskAccounts: { accountId: string; risk: { status: string } }[] }>(
      AT_RISK,
      { n: 1 },
      suite.op,
    );
    expect(ranked.data!.atRiskAccounts).toEqual([
      { accountId: a.id, risk: expect.objectContaining({ status: 'MARGIN_CALL' }) },
    ]);

    await publishPrices(suite.t, suite.op, { BTC: '90000', BTCUSDT: '90000' });
    expect((await all.next()).riskStatusChanged).toMatchObject({ from: 'MARGIN_CALL', to: 'NORMAL' });
    expect(await persisted(a.id)).toBe('NORMAL');
    all.close();
    own.close();
  });

  it('a restart neither announces an old transition again nor misses a new one', async () => {
    const a = await pmAccount(suite.t, { USDT: '20000' });
    await applyFill(suite.t, suite.op, a.id, 'BTCUSDT', 'BUY', '1.5', '90000');
    await bookCaughtUp(suite.t, a.id);
    await publishPrices(suite.t, suite.op, { BTC: '77150', BTCUSDT: '77150' });
    await suite.t.app.services.riskBook.idle();
    await suite.t.app.services.statusAnnouncer.settled();
    expect(await persisted(a.id)).toBe('MARGIN_CALL');

    // A new instance takes the shard over (the old owner gives it up, as when it restarts) and loads the
    // persisted status with the account: nothing is announced again, and the next transition is not missed.
    const second = await startTestApp(backend, { instanceOf: suite.t });
    try {
      const services = second.app.services;
      const loaded = services.shardFeeds.streams[0].nextLoad();
      await suite.t.app.services.ownership.stop();
      await loaded;
      await services.riskBook.idle();
      await services.statusAnnouncer.settled();
      expect(services.statusAnnouncer.announced).toBe(0);
      expect(services.riskBook.book.current(a.id)?.status).toBe('MARGIN_CALL');

      await publishPrices(second, await second.operatorToken(), { BTC: '90000', BTCUSDT: '90000' });
      await services.riskBook.idle();
      await services.statusAnnouncer.settled();
      // Every account this test file made is back to NORMAL, this one included.
      expect(services.statusAnnouncer.announced).toBeGreaterThanOrEqual(1);
      expect(await persisted(a.id)).toBe('NORMAL');
    } finally {
      await second.stop();
    }
  });

  it('refuses atRiskAccounts to users and out of range, and a feed of an unknown account', async () => {
    const a = await pmAccount(suite.t, { USDT: '1000' });
    const user = await suite.t.gql(AT_RISK, { n: 5 }, a.token);
    expect(user.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    for (const n of [0, 101, -1]) {
      const res = await suite.t.gql(AT_RISK, { n }, suite.op);
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    const unknown = subscribe(suite.t.wsClient({ authorization: `Bearer ${suite.op}` }), FEED, {
      a: '999999999',
    });
    await expect(unknown.next()).rejects.toThrow(/NOT_FOUND/);
  });

  it('a subscriber more than 64 transitions behind is ended with SLOW_SUBSCRIBER', async () => {
    const { bus, statusFeed } = suite.t.app.services;
    const slow = statusFeed.forAll();
    const heard = bus.subscribe('RISK_STATUS', '*', 1024);
    const event = (i: number) => ({
      accountId: String(1_000_000 + i),
      from: 'NORMAL',
      to: 'MARGIN_CALL',
      version: 1,
      priceVersion: i,
      at: new Date().toISOString(),
      portfolio: '|',
      index: [],
      mark: [],
    });
    const all = (async () => {
      let count = 0;
      for await (const _ of heard) if (++count === 65) return;
    })();
    for (let i = 0; i < 65; i++) bus.publish('RISK_STATUS', '*', event(i));
    await all;
    await expect(slow.next()).rejects.toMatchObject({ extensions: { code: 'SLOW_SUBSCRIBER' } });
  });

  it('10,000 subscribe/complete cycles of riskStatusChanged leave no subscription open', async () => {
    const client = suite.t.wsClient({ authorization: `Bearer ${suite.op}` });
    const feed = suite.t.app.services.statusFeed;
    const before = feed.open;
    const all = await live(client, {});
    // In batches of 50 on one socket (the per-socket limit is higher): subscribe, all held, complete, all released.
    const BATCH = 50;
    for (let done = 0; done < 10_000; done += BATCH) {
      const opened = emitted(feed.events, 'open', BATCH);
      const stops = Array.from({ length: BATCH }, () =>
        client.subscribe(
          { query: FEED, variables: {} },
          { next: () => {}, error: () => {}, complete: () => {} },
        ),
      );
      await opened;
      const closed = emitted(feed.events, 'close', BATCH);
      for (const stop of stops) stop();
      await closed;
    }
    all.close();
    if (feed.open > before) await once(feed.events, 'close');
    expect(feed.open).toBe(before);
  }, 300_000);
});
