import { dec } from '../../../src/lib/decimal';
import {
  computeRisk,
  isReduceOnlyOrWorse,
  maxBorrowable,
  withInterestOwed,
} from '../../../src/services/margin';
import { balance, params, referencePrices } from './fixtures';

describe('maxBorrowable', () => {
  const prices = referencePrices();

  it('is limited by margin: 1,000 USDT alone borrows x with x + 5 x ceil8(x r) <= 4,000, by hand 3999.910002', () => {
    // After x: accountEquity = 1000 - i, accountInitialMargin = (x + i) / (5 - 1), i = x r rounded up.
    // x = 3999.910002: i = 0.01799960, x + 5i = 4000 exactly; one unit more gives 4000.00000001.
    const portfolio = { balances: [balance('USDT', '1000')], positions: [] };
    expect(maxBorrowable(portfolio, prices, params, 'USDT').toFixed()).toBe('3999.910002');
  });

  it('is limited by the borrow limit net of what is borrowed already', () => {
    const portfolio = {
      balances: [balance('USDT', '100000000'), balance('BTC', '40', { borrowed: '40' })],
      positions: [],
    };
    // BTC borrowLimit 100.
    expect(maxBorrowable(portfolio, prices, params, 'BTC').toFixed()).toBe('60');
    const full = { ...portfolio, balances: [balance('BTC', '100', { borrowed: '100' })] };
    expect(maxBorrowable(full, prices, params, 'BTC').toFixed()).toBe('0');
  });

  it('is 0 in REDUCE_ONLY or worse, and when no unit passes the margin test', () => {
    // 100 USDT of equity against a loan margin of (1000 + 0) x 0.1 = 100: uniMMR 1.0, below REDUCE_ONLY.
    const reduceOnly = { balances: [balance('USDT', '1100', { borrowed: '1000' })], positions: [] };
    expect(isReduceOnlyOrWorse(computeRisk(reduceOnly, prices, params).status)).toBe(true);
    expect(maxBorrowable(reduceOnly, prices, params, 'USDT').toFixed()).toBe('0');
    const empty = { balances: [], positions: [] };
    expect(maxBorrowable(empty, prices, params, 'USDT').toFixed()).toBe('0');
  });

  it('counts hours started but not charged as owed', () => {
    const portfolio = { balances: [balance('USDT', '1000')], positions: [] };
    const owing = withInterestOwed(portfolio, 'USDT', dec('0.25'));
    expect(
      maxBorrowable(owing, prices, params, 'USDT').lt(maxBorrowable(portfolio, prices, params, 'USDT')),
    ).toBe(true);
    expect(withInterestOwed(portfolio, 'BTC', dec(1)).balances).toHaveLength(2);
  });
});
