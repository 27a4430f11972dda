import type { RiskDecision } from '../../src/services/risk-book/book';
import { backends } from '../helpers/backends';
import { applyFill, pmAccount, publishPrices, transfer } from '../helpers/money';
import { startTestApp } from '../helpers/test-app';
import { suiteTestApp } from '../helpers/suite';

/**
 * The risk book inside the running server: every PM account is in it from the start (loaded, or reloaded on
 * its committed changes), and a price batch decides the status of accounts nobody watches, with the exact
 * engine's result on each transition.
 */
describe.each(backends())('risk book in the server on $name', (backend) => {
  const suite = suiteTestApp(backend);

  /** The next decision of the account that satisfies `test` (the hook the book offers: no sleeping). */
  function decision(accountId: string, test: (d: RiskDecision) => boolean): Promise<RiskDecision> {
    return new Promise((resolve) => {
      const off = suite.t.app.services.riskBook.onDecision(
        (d) => {
          if (d.accountId !== accountId || !test(d)) return;
          off();
          resolve(d);
        },
        { all: true },
      );
    });
  }

  it('decides an unwatched account on every price batch and announces its transitions with exact values', async () => {
    const a = await pmAccount(suite.t, { USDT: '20000' });
    const opened = decision(a.id, (d) => d.portfolio().positions.length === 1);
    await applyFill(suite.t, suite.op, a.id, 'BTCUSDT', 'BUY', '1.5', '90000');
    expect((await opened).status).toBe('NORMAL');

    // At 77,150 the account is in MARGIN_CALL (uniMMR 725 / 528.625).
    const call = decision(a.id, (d) => d.previous === 'NORMAL' && d.status !== 'NORMAL');
    await publishPrices(suite.t, suite.op, { BTC: '77150', BTCUSDT: '77150' });
    const change = await call;
    expect(change.status).toBe('MARGIN_CALL');
    expect(change.exact().uniMMR?.toFixed(6)).toBe('1.371483');
    expect(change.ratio).toBeCloseTo(725 / 528.625, 12);
    expect(suite.t.app.services.riskBook.book.lowest(1)[0]).toMatchObject({
      accountId: a.id,
      status: 'MARGIN_CALL',
    });

    const back = decision(a.id, (d) => d.previous === 'MARGIN_CALL' && d.status !== 'MARGIN_CALL');
    await publishPrices(suite.t, suite.op, { BTC: '90000', BTCUSDT: '90000' });
    expect((await back).status).toBe('NORMAL');
  });

  it('takes a committed change of the account before deciding it again', async () => {
    const a = await pmAccount(suite.t, { USDT: '1000' });
    const more = decision(a.id, (d) =>
      d.portfolio().balances.some((b) => b.asset === 'USDT' && b.free.eq(1500)),
    );
    await suite.t.gql(
      'mutation($a: ID!, $k: String!) { deposit(accountId: $a, asset: "USDT", amount: "500", idempotencyKey: $k) { free } }',
      { a: a.id, k: `book-${a.id}` },
      suite.op,
    );
    const res = await transfer(suite.t, a.token, 'USDT', '500', 'SPOT', 'PORTFOLIO_MARGIN');
    expect(res.errors).toBeUndefined();
    const decided = await more;
    expect(decided.exact().accountEquity.toFixed()).toBe('1500');
  });

  it('holds the PM accounts that exist when it starts owning their shard; another instance holds none', async () => {
    const a = await pmAccount(suite.t, { USDT: '3000' });
    const second = await startTestApp(backend, { instanceOf: suite.t });
    try {
      expect(second.app.services.ownership.held).toEqual([]);
      expect(second.app.services.riskBook.book.has(a.id)).toBe(false);
      // The first instance gives its shard up: the second takes it and loads the shard.
      const loaded = second.app.services.shardFeeds.streams[0].nextLoad();
      await suite.t.app.services.ownership.stop();
      await loaded;
      expect(second.app.services.riskBook.book.exact(a.id)?.result.accountEquity.toFixed()).toBe('3000');
    } finally {
      await second.stop();
    }
  });
});
