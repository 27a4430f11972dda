import { dec } from '../../../src/lib/decimal';
import {
  liquidationPrices,
  liquidationThreshold,
  PriceUnavailableError,
  riskParamsFromReference,
  type Portfolio,
} from '../../../src/services/margin';
import {
  balance,
  expectLiquidationPrice,
  params,
  pmProParams,
  pmProPortfolio,
  pmProPrices,
  position,
  reference,
  referencePrices,
  uniMMRAt,
} from './fixtures';

const prices = referencePrices();
const T = liquidationThreshold(params.bands);
const table = (portfolio: Portfolio, p = params, book = prices) =>
  Object.fromEntries(
    liquidationPrices(portfolio, book, p).map((l) => [l.asset, l.liquidationPrice?.toFixed() ?? null]),
  );

describe('liquidationPrices (spec 6)', () => {
  it('long BTCUSDT on USDT: 90000 r - 80000 = 1.05 x (450 r - 50) -> r = 79947.5 / 89527.5', () => {
    const portfolio = {
      balances: [balance('USDT', '10000')],
      positions: [position('BTCUSDT', '1', '90000')],
    };
    const expected = dec('79947.5').div('89527.5').times(90000).toDecimalPlaces(18).toFixed();
    // scaling USDT scales equity and margin alike: uniMMR stays 9580 / 400 x ... above 1.05
    expect(table(portfolio)).toEqual({ BTC: expected, USDT: null });
    expect(expected).toBe('80369.439557677808494597');
  });

  it('short BTCUSDT liquidates above: 100000 - 90000 r = 1.05 x (450 r - 50)', () => {
    const portfolio = {
      balances: [balance('USDT', '10000')],
      positions: [position('BTCUSDT', '-1', '90000')],
    };
    const expected = dec('100052.5').div('90472.5').times(90000).toDecimalPlaces(18).toFixed();
    expect(table(portfolio).BTC).toBe(expected);
  });

  it('is the current price when uniMMR is already at or below 1.05', () => {
    // AE 420, MM 400: uniMMR exactly 1.05
    const portfolio = { balances: [balance('USDT', '420')], positions: [position('BTCUSDT', '1', '90000')] };
    const [btc] = liquidationPrices(portfolio, prices, params);
    expect(btc.liquidationPrice?.toFixed()).toBe('90000');
    expect(btc.currentPrice.toFixed()).toBe('90000');
  });

  it('is null for a perfectly hedged inverse position (value and margin constant in the price)', () => {
    // 1 BTC against a CM short of 90000 USD: E_BTC = 1/r, V = 90000, MM = 0.004 x (1/r BTC) x 90000 r
    const portfolio = {
      balances: [balance('BTC', '1')],
      positions: [position('BTCUSD_PERP', '-900', '90000')],
    };
    expect(table(portfolio)).toEqual({ BTC: null });
  });

  it('is null for every asset without maintenance margin, and lists held, base and settle assets', () => {
    const portfolio = { balances: [balance('SOL', '3'), balance('ETH', '0')], positions: [] };
    expect(table(portfolio)).toEqual({ SOL: null });
    const withPosition = { balances: [balance('SOL', '3')], positions: [position('ETHUSDT', '1', '3000')] };
    expect(Object.keys(table(withPosition))).toEqual(['ETH', 'SOL', 'USDT']);
  });

  it('takes the threshold from the params, not a literal', () => {
    const strict = riskParamsFromReference({
      ...reference,
      riskBands: reference.riskBands.map((b) => (b.status === 'REDUCE_ONLY' ? { ...b, above: '1.1' } : b)),
    });
    const portfolio = {
      balances: [balance('USDT', '10000')],
      positions: [position('BTCUSDT', '1', '90000')],
    };
    const [btc] = liquidationPrices(portfolio, prices, strict);
    const u = uniMMRAt(portfolio, prices, strict, 'BTC', (btc.liquidationPrice ?? dec(0)).div(90000));
    expect(u?.minus('1.1').abs().lt('1e-15')).toBe(true);
  });

  it('walks across brackets and tiers to the nearest crossing (checked by brute force)', () => {
    const portfolio: Portfolio = {
      balances: [
        balance('USDT', '2500000', { borrowed: '300000' }),
        balance('BTC', '150', { borrowed: '20', interest: '0.01' }),
        balance('ETH', '-40'),
        balance('SOL', '20000'),
      ],
      positions: [
        position('BTCUSDT', '-180', '95000'),
        position('BTCUSD_PERP', '40000', '88000'),
        position('ETHUSDT', '900', '3100'),
        position('ETHUSD_PERP', '-50000', '2900'),
        position('SOLUSDT', '-30000', '140'),
      ],
    };
    const result = liquidationPrices(portfolio, prices, params);
    expect(result.map((l) => l.asset)).toEqual(['BTC', 'ETH', 'SOL', 'USDT']);
    for (const l of result)
      expectLiquidationPrice(portfolio, prices, params, l.asset, l.liquidationPrice, T, 150);
    expect(result.some((l) => l.liquidationPrice !== null)).toBe(true);
  });

  it('agrees with brute force on the spec 3 worked example', () => {
    for (const l of liquidationPrices(pmProPortfolio, pmProPrices, pmProParams)) {
      expectLiquidationPrice(pmProPortfolio, pmProPrices, pmProParams, l.asset, l.liquidationPrice, T, 100);
    }
  });

  it('throws PriceUnavailableError when the base asset of a position has no index', () => {
    const index = new Map(prices.index);
    index.delete('ETH');
    const portfolio = { balances: [balance('USDT', '1000')], positions: [position('ETHUSDT', '1', '3000')] };
    expect(() => liquidationPrices(portfolio, { index, mark: prices.mark }, params)).toThrow(
      PriceUnavailableError,
    );
  });
});
