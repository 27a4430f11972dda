import { dec } from '../../../src/lib/decimal';
import {
  applyScenario,
  computeRisk,
  InsufficientBalanceError,
  InvalidScenarioError,
  PriceUnavailableError,
  UnknownAssetError,
  UnknownSymbolError,
  type BalanceInput,
} from '../../../src/services/margin';
import { balance, book, params, position, referencePrices } from './fixtures';

const prices = referencePrices();
const portfolio = {
  balances: [balance('USDT', '1000'), balance('BTC', '0.5', { borrowed: '0.1' })],
  positions: [position('BTCUSDT', '0.2', '80000', 20)],
};
const row = (balances: BalanceInput[], asset: string) => {
  const b = balances.find((x) => x.asset === asset);
  return b && [b.free.toFixed(), b.borrowed.toFixed(), b.interest.toFixed()];
};

describe('applyScenario', () => {
  it('moves an index by a relative change and a mark by a price, and nothing else', () => {
    const out = applyScenario(portfolio, prices, params, {
      prices: [
        { symbol: 'BTC', change: dec('-0.1') },
        { symbol: 'ETHUSDT', price: dec(2500) },
      ],
    });
    expect(out.prices.index.get('BTC')?.toFixed()).toBe('81000');
    expect(out.prices.mark.get('BTCUSDT')?.toFixed()).toBe('90000'); // an index move does not move marks
    expect(out.prices.mark.get('ETHUSDT')?.toFixed()).toBe('2500');
    expect(out.prices.index.get('ETH')?.toFixed()).toBe('3000');
    expect(prices.index.get('BTC')?.toFixed()).toBe('90000');
  });

  it('transfers in and out of free; out never below 0', () => {
    const out = applyScenario(portfolio, prices, params, {
      transfers: [
        { asset: 'ETH', amount: dec(2), direction: 'IN' },
        { asset: 'USDT', amount: dec(1000), direction: 'OUT' },
      ],
    });
    expect(row(out.portfolio.balances, 'ETH')).toEqual(['2', '0', '0']);
    expect(row(out.portfolio.balances, 'USDT')).toBeUndefined(); // emptied rows drop out
    expect(() =>
      applyScenario(portfolio, prices, params, {
        transfers: [{ asset: 'USDT', amount: dec('1000.00000001'), direction: 'OUT' }],
      }),
    ).toThrow(InsufficientBalanceError);
  });

  it('borrows into free and borrowed, accruing the first hour of interest', () => {
    const out = applyScenario(portfolio, prices, params, { borrows: [{ asset: 'BTC', amount: dec(1) }] });
    expect(row(out.portfolio.balances, 'BTC')).toEqual(['1.5', '1.1', '0.0000012']);
  });

  it('fills through applyFill, crediting realised PnL minus the fee to the settle asset', () => {
    const out = applyScenario(portfolio, prices, params, {
      fills: [
        { symbol: 'BTCUSDT', fill: { side: 'SELL', quantity: dec('0.3'), price: dec(85000), fee: dec(3) } },
      ],
    });
    // closes 0.2 at +5000 each = +1000, then short 0.1 at 85000 with the position's leverage
    expect(row(out.portfolio.balances, 'USDT')).toEqual(['1997', '0', '0']);
    expect(
      out.portfolio.positions.map((p) => [
        p.symbol,
        p.quantity.toFixed(),
        p.entryPrice.toFixed(),
        p.leverage,
      ]),
    ).toEqual([['BTCUSDT', '-0.1', '85000', 20]]);
  });

  it('rounds a fill as the real fill books it (bookFill): entry to 18 decimals, realised PnL to the precision', () => {
    // BTCUSD_PERP long 3 @ 30000, buy 3 more @ 70000: harmonic entry 6 / (3/30000 + 3/70000) = 42000 exactly;
    // ETHUSD_PERP long 3 @ 3000 plus 1 @ 7000: 4 / (3/3000 + 1/7000) = 3500 (terminates); plus 1 more @ 3001
    // gives 5 / (4/3500 + 1/3001), which does not terminate: stored half-even to 18 decimals.
    const start = {
      balances: [balance('ETH', '10')],
      positions: [position('ETHUSD_PERP', '4', '3500')],
    };
    const opened = applyScenario(start, prices, params, {
      fills: [
        { symbol: 'ETHUSD_PERP', fill: { side: 'BUY', quantity: dec(1), price: dec(3001), fee: dec(0) } },
      ],
    });
    const entry = dec(5).div(dec(4).div(3500).plus(dec(1).div(3001)));
    expect(entry.decimalPlaces()).toBeGreaterThan(18);
    expect(opened.portfolio.positions[0].entryPrice.toFixed()).toBe(entry.toDecimalPlaces(18, 6).toFixed());
    // closing 1 contract of 10 USD at 3333: 1 x 10 x (1/3500 - 1/3333) ETH, half-even to 8 decimals
    const closed = applyScenario(start, prices, params, {
      fills: [
        { symbol: 'ETHUSD_PERP', fill: { side: 'SELL', quantity: dec(1), price: dec(3333), fee: dec(0) } },
      ],
    });
    const realised = dec(10).times(dec(1).div(3500).minus(dec(1).div(3333)));
    expect(row(closed.portfolio.balances, 'ETH')?.[0]).toBe(
      dec(10).plus(realised.toDecimalPlaces(8, 6)).toFixed(),
    );
    expect(row(closed.portfolio.balances, 'ETH')?.[0]).toBe('9.99985684');
  });

  it('applies prices, transfers, borrows and fills in that order, leaving the inputs untouched', () => {
    const before = JSON.stringify(portfolio);
    const out = applyScenario(portfolio, prices, params, {
      prices: [{ symbol: 'BTCUSDT', change: dec('0.05') }],
      transfers: [{ asset: 'USDT', amount: dec(500), direction: 'OUT' }],
      borrows: [{ asset: 'USDT', amount: dec(100) }],
      fills: [
        {
          symbol: 'BTCUSD_PERP',
          fill: { side: 'BUY', quantity: dec(10), price: dec(90000), fee: dec('0.0001') },
        },
      ],
    });
    expect(JSON.stringify(portfolio)).toBe(before);
    expect(row(out.portfolio.balances, 'BTC')).toEqual(['0.4999', '0.1', '0']);
    expect(row(out.portfolio.balances, 'USDT')).toEqual(['600', '100', '0.00045']);
    const risk = computeRisk(out.portfolio, out.prices, params);
    expect(risk.positions.find((p) => p.symbol === 'BTCUSDT')?.markPrice.toFixed()).toBe('94500');
  });

  it('refuses impossible scenarios with typed errors', () => {
    const run = (scenario: Parameters<typeof applyScenario>[3]) => () =>
      applyScenario(portfolio, prices, params, scenario);
    expect(run({ prices: [{ symbol: 'BTC', change: dec('0.1'), price: dec(1) }] })).toThrow(
      InvalidScenarioError,
    );
    expect(run({ prices: [{ symbol: 'BTC' }] })).toThrow(InvalidScenarioError);
    expect(run({ prices: [{ symbol: 'BTC', change: dec(-1) }] })).toThrow(InvalidScenarioError);
    expect(run({ prices: [{ symbol: 'DOGE', price: dec(1) }] })).toThrow(UnknownSymbolError);
    expect(run({ transfers: [{ asset: 'DOGE', amount: dec(1), direction: 'IN' }] })).toThrow(
      UnknownAssetError,
    );
    expect(run({ borrows: [{ asset: 'BTC', amount: dec(0) }] })).toThrow(InvalidScenarioError);
    expect(() =>
      applyScenario(portfolio, book({ USDT: '1' }), params, {
        prices: [{ symbol: 'BTC', change: dec('0.1') }],
      }),
    ).toThrow(PriceUnavailableError);
  });
});
