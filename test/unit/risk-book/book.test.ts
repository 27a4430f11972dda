import { dec } from '../../../src/lib/decimal';
import { computeRisk, type Portfolio } from '../../../src/services/margin';
import { PriceSnapshot } from '../../../src/services/prices/snapshot';
import { RiskBook, type RiskDecision } from '../../../src/services/risk-book/book';
import { Drain } from '../../../src/services/risk-book/drain';
import { balance, params, position, reference } from '../margin/fixtures';

function prices(): { snapshot: PriceSnapshot; set: (symbol: string, price: string) => string[] } {
  const snapshot = new PriceSnapshot((s) => params.assets.has(s));
  let clock = 0;
  const set = (symbol: string, price: string) =>
    snapshot.write([{ symbol, price: dec(price), updatedAt: new Date(++clock) }]).map((p) => p.symbol);
  for (const a of reference.assets) set(a.symbol, a.indexPrice ?? '1');
  for (const s of reference.symbols)
    set(s.symbol, reference.assets.find((a) => a.symbol === s.base)?.indexPrice ?? '1');
  return { snapshot, set };
}

const usdtOnly = (free: string): Portfolio => ({ balances: [balance('USDT', free)], positions: [] });
/** 1 BTC long on 10,000 USDT at 90,000: uniMMR falls as BTC falls. */
const btcLong = (usdt: string): Portfolio => ({
  balances: [balance('USDT', usdt)],
  positions: [position('BTCUSDT', '1', '90000', 10)],
});

function bookWith(snapshot: PriceSnapshot): RiskBook {
  const book = new RiskBook(params);
  book.setPrices(
    snapshot,
    [...snapshot.values()].map((p) => p.symbol),
  );
  return book;
}

describe('risk book', () => {
  it('marks dirty only the accounts exposed to a moved price', () => {
    const { snapshot, set } = prices();
    const book = bookWith(snapshot);
    book.upsertAccount('1', 1, btcLong('10000'));
    book.upsertAccount('2', 1, usdtOnly('5'));
    book.upsertAccount('3', 1, { balances: [balance('ETH', '2')], positions: [] });
    book.drainSome(100);
    expect(book.pending).toBe(0);
    expect(book.setPrices(snapshot, set('BTCUSDT', '89000'))).toBe(1);
    expect(book.setPrices(snapshot, set('ETH', '3100'))).toBe(1);
    expect(book.pending).toBe(2);
    // The same price again changes nothing.
    book.drainSome(100);
    expect(book.setPrices(snapshot, ['ETH'])).toBe(0);
  });

  it('ignores an older version, and a removed account leaves every exposure list', () => {
    const { snapshot, set } = prices();
    const book = bookWith(snapshot);
    book.upsertAccount('1', 5, btcLong('10000'));
    expect(book.upsertAccount('1', 4, usdtOnly('1'))).toBe(false);
    expect(book.versionOf('1')).toBe(5);
    for (let n = 2; n < 50; n++) book.upsertAccount(String(n), 1, btcLong('20000'));
    book.drainSome(1000);
    expect(book.removeAccount('1')).toBe(true);
    expect(book.removeAccount('7')).toBe(true);
    book.upsertAccount('7', 2, usdtOnly('3'));
    expect(book.setPrices(snapshot, set('BTCUSDT', '80000'))).toBe(47);
    book.drainSome(1000);
    for (let n = 2; n < 50; n++) {
      if (n === 7) continue;
      const exact = computeRisk(btcLong('20000'), snapshot.book(), params);
      expect(book.current(String(n))?.status).toBe(exact.status);
    }
    expect(book.current('1')).toBeUndefined();
    expect(book.current('7')).toMatchObject({ status: 'NORMAL', ratio: Infinity });
  });

  it('announces each transition once, with the exact result, and every decision of a watched account', () => {
    const { snapshot, set } = prices();
    const book = bookWith(snapshot);
    const transitions: RiskDecision[] = [];
    const watched: RiskDecision[] = [];
    book.onDecision((d) => (d.previous !== d.status ? transitions : watched).push(d));
    book.upsertAccount('1', 1, btcLong('10000'), 'NORMAL');
    book.upsertAccount('2', 1, btcLong('10000'));
    book.drainSome(10);
    // Account 1's persisted status is the one decided: nothing to announce. Account 2 is decided first.
    expect(transitions.map((t) => [t.accountId, t.previous, t.status])).toEqual([['2', null, 'NORMAL']]);
    const release = book.watch('1');
    book.setPrices(snapshot, set('BTCUSDT', '85000'));
    book.drainSome(10);
    expect(watched.map((d) => d.accountId)).toEqual(['1']);
    release();
    book.setPrices(snapshot, set('BTCUSDT', '80390'));
    book.drainSome(10);
    expect(transitions.slice(1).map((t) => [t.accountId, t.previous, t.status])).toEqual([
      ['1', 'NORMAL', 'REDUCE_ONLY'],
      ['2', 'NORMAL', 'REDUCE_ONLY'],
    ]);
    const exact = transitions[1].exact();
    expect(exact.status).toBe('REDUCE_ONLY');
    expect(exact.uniMMR?.toNumber()).toBeCloseTo(transitions[1].ratio as number, 12);
    expect(watched).toHaveLength(1);
  });

  it('lists the lowest uniMMR first', () => {
    const { snapshot } = prices();
    const book = bookWith(snapshot);
    ['30000', '10000', '20000', '15000'].forEach((usdt, n) =>
      book.upsertAccount(String(n), 1, btcLong(usdt)),
    );
    book.upsertAccount('flat', 1, usdtOnly('1'));
    book.drainSome(10);
    expect(book.lowest(3).map((r) => r.accountId)).toEqual(['1', '3', '2']);
    expect(book.lowest(10)).toHaveLength(4);
  });

  it('leaves an account undecided while one of its prices is missing', () => {
    const snapshot = new PriceSnapshot((s) => params.assets.has(s));
    snapshot.write([{ symbol: 'USDT', price: dec(1), updatedAt: new Date(1) }]);
    const book = bookWith(snapshot);
    book.upsertAccount('1', 1, btcLong('10000'));
    book.drainSome(10);
    expect(book.current('1')).toBeUndefined();
  });

  it('drains in slices; a tick during the drain merges into it and the newest price decides', async () => {
    const { snapshot, set } = prices();
    const book = bookWith(snapshot);
    for (let n = 0; n < 3000; n++) book.upsertAccount(String(n), 1, btcLong(String(10000 + n)));
    const drain = new Drain(book, { sliceMs: 1, batch: 16 });
    await drain.idle();
    book.setPrices(snapshot, set('BTCUSDT', '85000'));
    await new Promise<void>((resolve) => setImmediate(resolve));
    book.setPrices(snapshot, set('BTCUSDT', '80390'));
    await drain.idle();
    drain.stop();
    expect(drain.stats.slices).toBeGreaterThan(1);
    for (const n of [0, 1500, 2999]) {
      const exact = computeRisk(btcLong(String(10000 + n)), snapshot.book(), params);
      expect(book.current(String(n))?.status).toBe(exact.status);
    }
  });

  it('carries accounts, statuses, listeners and watches over to a book on new parameters', () => {
    const { snapshot, set } = prices();
    const book = bookWith(snapshot);
    const seen: RiskDecision[] = [];
    book.onDecision((d) => seen.push(d));
    book.upsertAccount('1', 3, btcLong('10000'));
    book.upsertAccount('2', 1, usdtOnly('5'));
    book.drainSome(10);
    book.watch('2');
    const { book: next, dropped } = book.withParams(params);
    expect(dropped).toEqual([]);
    expect(next.versionOf('1')).toBe(3);
    seen.length = 0;
    next.drainSome(10);
    // Decided again on the new parameters: no transition for account 1, the watched account 2 is told.
    expect(seen.map((d) => [d.accountId, d.previous, d.status])).toEqual([['2', 'NORMAL', 'NORMAL']]);
    next.setPrices(snapshot, set('BTCUSDT', '80390'));
    next.drainSome(10);
    expect(seen.map((d) => [d.accountId, d.status]).slice(1)).toEqual([['1', 'REDUCE_ONLY']]);
  });
});
