import { eligibility, UnknownAssetError } from '../../../src/services/margin';
import { balance, book, params, referencePrices } from './fixtures';

const prices = referencePrices();

describe('eligibility (spec 2)', () => {
  it('a VIP level within 1-9 is eligible whatever the balance', () => {
    const r = eligibility(1, [], prices, params);
    expect(r.eligible).toBe(true);
    expect(r.reasons).toEqual([]);
    expect(r.qualifyingBalanceUsd.isZero()).toBe(true);
    expect(eligibility(10, [], prices, params).eligible).toBe(false);
  });

  it('VIP 0 is eligible from exactly 100,000 USD of qualifying balance', () => {
    const r = eligibility(
      0,
      [balance('USDT', '60000'), balance('BTC', '0.5', { borrowed: '0.05' })],
      prices,
      params,
    );
    // 60000 + 0.45 x 90000 = 100500
    expect(r.qualifyingBalanceUsd.toFixed()).toBe('100500');
    expect(r.eligible).toBe(true);
    const exact = eligibility(0, [balance('USDT', '100000')], prices, params);
    expect(exact.eligible).toBe(true);
    expect(exact.requiredBalanceUsd.toFixed()).toBe('100000');
  });

  it('sums repeated assets across wallets and says why when not eligible', () => {
    const r = eligibility(
      0,
      [balance('USDT', '50000'), balance('USDT', '49999.999', { interest: '0.5' })],
      prices,
      params,
    );
    expect(r.qualifyingBalanceUsd.toFixed()).toBe('99999.499');
    expect(r.eligible).toBe(false);
    expect(r.reasons).toEqual([
      'VIP level 0 is not within 1-9',
      'qualifying balance 99999.49 USD is below the required 100000 USD',
    ]);
  });

  it('needs a price only for a non-zero net balance, and knows its assets', () => {
    const net0 = eligibility(0, [balance('SOL', '5', { borrowed: '5' })], book({}), params);
    expect(net0.qualifyingBalanceUsd.isZero()).toBe(true);
    expect(() => eligibility(0, [balance('SOL', '5')], book({}), params)).toThrow(
      expect.objectContaining({ name: 'PriceUnavailableError', symbol: 'SOL' }),
    );
    expect(() => eligibility(0, [balance('DOGE', '5')], prices, params)).toThrow(UnknownAssetError);
  });
});
