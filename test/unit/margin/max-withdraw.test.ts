import { dec, type Decimal } from '../../../src/lib/decimal';
import {
  computeRisk,
  maxWithdraw,
  riskParamsFromReference,
  UnknownAssetError,
  type Portfolio,
  type PriceBook,
  type RiskParams,
} from '../../../src/services/margin';
import {
  balance,
  params,
  pmProParams,
  pmProPortfolio,
  pmProPrices,
  position,
  reference,
  referencePrices,
} from './fixtures';

/** The portfolio with x less free `asset`. */
const without = (portfolio: Portfolio, asset: string, x: Decimal): Portfolio => ({
  ...portfolio,
  balances: portfolio.balances.map((b) => (b.asset === asset ? { ...b, free: b.free.minus(x) } : b)),
});
const keepsMultiple = (portfolio: Portfolio, prices: PriceBook, p: RiskParams, asset: string, x: Decimal) => {
  const risk = computeRisk(without(portfolio, asset, x), prices, p);
  return risk.accountEquity.gt(p.maxWithdrawMmMultiple.times(risk.accountMaintMargin));
};

describe('maxWithdraw', () => {
  const prices = referencePrices();

  it('without maintenance margin is the free balance, floored to the precision; 0 when free < 0', () => {
    const portfolio = {
      balances: [balance('BTC', '1.5', { borrowed: '0' }), balance('ETH', '-2', { locked: '2' })],
      positions: [],
    };
    expect(computeRisk(portfolio, prices, params).accountMaintMargin.isZero()).toBe(true);
    expect(maxWithdraw(portfolio, prices, params, 'BTC').toFixed()).toBe('1.5');
    expect(maxWithdraw(portfolio, prices, params, 'ETH').toFixed()).toBe('0');
    expect(maxWithdraw(portfolio, prices, params, 'SOL').toFixed()).toBe('0');
    const fine = { balances: [balance('BTC', '0.123456789123')], positions: [] };
    expect(maxWithdraw(fine, prices, params, 'BTC').toFixed()).toBe('0.12345678');
  });

  it('is exact where the limit binds: PM Pro ETH, x passes and x + 1e-8 fails', () => {
    // others = 24616 - 14250 = 10366; need 1.2 x 4728.4 = 5674.08, so V_ETH >= -4691.92 and
    // x <= (15000 + 4691.92) / 3000 = 6.563973333...
    const x = maxWithdraw(pmProPortfolio, pmProPrices, pmProParams, 'ETH');
    expect(x.toFixed()).toBe('6.56397333');
    expect(keepsMultiple(pmProPortfolio, pmProPrices, pmProParams, 'ETH', x)).toBe(true);
    expect(keepsMultiple(pmProPortfolio, pmProPrices, pmProParams, 'ETH', x.plus('1e-8'))).toBe(false);
  });

  it('is capped by the free balance when the account could lose more (PM Pro USDT and BTC)', () => {
    expect(maxWithdraw(pmProPortfolio, pmProPrices, pmProParams, 'USDT').toFixed()).toBe('6000');
    expect(maxWithdraw(pmProPortfolio, pmProPrices, pmProParams, 'BTC').toFixed()).toBe('0.2');
  });

  it('inverts the haircut tiers when the limit falls inside a positive tier', () => {
    // 200 BTC = 18M USD counts 10M x 0.95 + 8M x 0.9 = 16.7M; a USDT loan of 100M (still held) has MM 10M.
    // BTC must keep collateral >= 1.2 x 10M = 12M: V = 10M + (12M - 9.5M) / 0.9, x = (18M - V) / 90000.
    const portfolio = {
      balances: [balance('BTC', '200'), balance('USDT', '100000000', { borrowed: '100000000' })],
      positions: [],
    };
    expect(computeRisk(portfolio, prices, params).accountEquity.toFixed()).toBe('16700000');
    const x = maxWithdraw(portfolio, prices, params, 'BTC');
    const value = dec('10000000').plus(dec('2500000').div('0.9'));
    expect(x.toFixed()).toBe(dec(18000000).minus(value).div(90000).toDecimalPlaces(8, 3).toFixed());
    expect(x.toFixed()).toBe('58.02469135');
    expect(keepsMultiple(portfolio, prices, params, 'BTC', x)).toBe(true);
    expect(keepsMultiple(portfolio, prices, params, 'BTC', x.plus('1e-8'))).toBe(false);
  });

  it('lets an asset with collateral rate 0 leave in full, even from a tight account', () => {
    const zeroRated = riskParamsFromReference({
      ...reference,
      assets: [
        ...reference.assets,
        { ...reference.assets[0], symbol: 'ZRO', collateralTiers: [{ floor: '0', cap: null, rate: '0' }] },
      ],
    });
    const zroPrices: PriceBook = { index: new Map([...prices.index, ['ZRO', dec(5)]]), mark: prices.mark };
    // BTCUSDT 1 @ 90000: MM 400; USDT 500 -> uniMMR 1.25
    const portfolio = {
      balances: [balance('USDT', '500'), balance('ZRO', '1000')],
      positions: [position('BTCUSDT', '1', '90000')],
    };
    expect(computeRisk(portfolio, zroPrices, zeroRated).status).toBe('SUPPLY_MARGIN');
    expect(maxWithdraw(portfolio, zroPrices, zeroRated, 'ZRO').toFixed()).toBe('1000');
    // USDT at rate 1: 500 - 1.2 x 400 = 20 would land on uniMMR = 1.2 exactly, REDUCE_ONLY: one unit less
    expect(maxWithdraw(portfolio, zroPrices, zeroRated, 'USDT').toFixed()).toBe('19.99999999');
  });

  it('never lands on REDUCE_ONLY: at most 1e-8 short of accountEquity = 1.2 x MM, whose uniMMR is REDUCE_ONLY', () => {
    // USDT 500, BTCUSDT 1 @ 90000: MM 400, need accountEquity > 480
    const portfolio = { balances: [balance('USDT', '500')], positions: [position('BTCUSDT', '1', '90000')] };
    const x = maxWithdraw(portfolio, prices, params, 'USDT');
    expect(x.toFixed()).toBe('19.99999999');
    expect(computeRisk(without(portfolio, 'USDT', x), prices, params).status).toBe('SUPPLY_MARGIN');
    expect(computeRisk(without(portfolio, 'USDT', dec(20)), prices, params).status).toBe('REDUCE_ONLY');
  });

  it('counts the margin of a negative balance: -80,000 USDT and 2 BTC', () => {
    // accountEquity = 2 x 90000 x 0.95 - 80000 = 91000; MM = 80000 x 0.1 = 8000; need > 9600, so BTC
    // collateral > 89600: V > 89600 / 0.95 = 94315.789473..., x < (180000 - V) / 90000 = 0.952046783...
    const portfolio = { balances: [balance('USDT', '-80000'), balance('BTC', '2')], positions: [] };
    expect(computeRisk(portfolio, prices, params).accountMaintMargin.toFixed()).toBe('8000');
    const x = maxWithdraw(portfolio, prices, params, 'BTC');
    expect(x.toFixed()).toBe('0.95204678');
    expect(keepsMultiple(portfolio, prices, params, 'BTC', x)).toBe(true);
    expect(keepsMultiple(portfolio, prices, params, 'BTC', x.plus('1e-8'))).toBe(false);
    expect(maxWithdraw(portfolio, prices, params, 'USDT').toFixed()).toBe('0');
  });

  it('is 0 in REDUCE_ONLY or worse', () => {
    // MM 400; equity 450 -> uniMMR 1.125, REDUCE_ONLY
    const portfolio = { balances: [balance('USDT', '450')], positions: [position('BTCUSDT', '1', '90000')] };
    expect(computeRisk(portfolio, prices, params).status).toBe('REDUCE_ONLY');
    expect(maxWithdraw(portfolio, prices, params, 'USDT').toFixed()).toBe('0');
  });

  it('throws UnknownAssetError for an unknown asset', () => {
    expect(() => maxWithdraw(pmProPortfolio, pmProPrices, pmProParams, 'DOGE')).toThrow(UnknownAssetError);
  });
});
