import { backends } from '../helpers/backends';
import { bookCaughtUp, pmAccount, transfer } from '../helpers/money';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * A load reads each account's version, then its rows. A change committed between the two is either in the
 * rows (and the version read is older, so the stream's entry for it reloads the account) or after them: either
 * way the book ends at the newest version with the newest balances.
 */
describe.each(backends())('a change committed during a load of the risk book on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(() => t?.stop());

  it('is not lost when it lands between the load reading versions and rows', async () => {
    const a = await pmAccount(t, { USDT: '20000' });
    await bookCaughtUp(t, a.id);
    const { riskBook, shardFeeds } = t.app.services;
    let forced = false;
    riskBook.betweenReads = async (ids) => {
      if (forced || !ids.includes(a.id)) return;
      forced = true;
      const moved = await transfer(t, a.token, 'USDT', '7000', 'PORTFOLIO_MARGIN', 'SPOT');
      expect(moved.errors).toBeUndefined();
    };
    const loaded = shardFeeds.streams[0].nextLoad();
    shardFeeds.streams[0].reloadAll();
    await loaded;
    riskBook.betweenReads = null;
    expect(forced).toBe(true);

    await bookCaughtUp(t, a.id);
    expect(riskBook.book.exact(a.id)?.result.accountEquity.toFixed()).toBe('13000');
  });
});
