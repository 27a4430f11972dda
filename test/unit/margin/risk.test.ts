import DecimalJs from 'decimal.js';
import { dec } from '../../../src/lib/decimal';
import {
  computeRisk,
  PriceUnavailableError,
  UnknownAssetError,
  UnknownSymbolError,
  type Portfolio,
} from '../../../src/services/margin';
import {
  balance,
  book,
  params,
  pmProParams,
  pmProPortfolio,
  pmProPrices,
  position,
  referencePrices,
} from './fixtures';

const byAsset = (risk: ReturnType<typeof computeRisk>, asset: string) => {
  const a = risk.assets.find((x) => x.asset === asset);
  if (!a) throw new Error(`no ${asset}`);
  return a;
};

describe('computeRisk: spec 3 worked example (PM Pro)', () => {
  const risk = computeRisk(pmProPortfolio, pmProPrices, pmProParams);

  it('per-asset equity: E_USDT 6186, E_BTC 0.11, E_ETH 5', () => {
    expect(byAsset(risk, 'USDT').equity.toFixed()).toBe('6186');
    expect(byAsset(risk, 'BTC').equity.toFixed()).toBe('0.11');
    expect(byAsset(risk, 'ETH').equity.toFixed()).toBe('5');
  });

  it('accountEquity 24616, actualEquity 25586', () => {
    expect(risk.accountEquity.toFixed()).toBe('24616');
    expect(risk.actualEquity.toFixed()).toBe('25586');
  });

  it('MM = 10 + 8.4 + 50 + 160 + 4500 = 4728.4, split by margin asset', () => {
    expect(risk.accountMaintMargin.toFixed()).toBe('4728.4');
    expect(byAsset(risk, 'USDT').maintMarginUsd.toFixed()).toBe('18.4');
    expect(byAsset(risk, 'BTC').maintMarginUsd.toFixed()).toBe('210');
    expect(byAsset(risk, 'ETH').maintMarginUsd.toFixed()).toBe('4500');
    expect(risk.positions.map((p) => p.maintenanceMarginUsd.toFixed())).toEqual(['10', '8.4', '50']);
  });

  it('uniMMR = 24616 / 4728.4 = 5.2059893410..., unrounded', () => {
    expect(risk.uniMMR?.toDecimalPlaces(10).toFixed()).toBe('5.205989341');
    expect(risk.uniMMR?.eq(dec(24616).div(dec('4728.4')))).toBe(true);
    expect(risk.uniMMR?.precision()).toBeGreaterThan(60);
    expect(risk.status).toBe('NORMAL');
  });

  it('maxWithdrawUsd = 24616 - 1.2 x 4728.4 = 18941.92', () => {
    expect(risk.maxWithdrawUsd.toFixed()).toBe('18941.92');
  });

  it('IM: positions notional / leverage, loans debt x index / (5 - 1)', () => {
    // USDT: 2000/10 + 1680/10; BTC: 0.25 BTC/10 x 40000 + 0.04 x 40000/4; ETH: 15 x 3000/4
    expect(byAsset(risk, 'USDT').initialMarginUsd.toFixed()).toBe('368');
    expect(byAsset(risk, 'BTC').initialMarginUsd.toFixed()).toBe('1400');
    expect(byAsset(risk, 'ETH').initialMarginUsd.toFixed()).toBe('11250');
    expect(risk.accountInitialMargin.toFixed()).toBe('13018');
    expect(risk.availableBalance.toFixed()).toBe('11598');
  });

  it('positions: notional, uPnL in the settle asset, in code-unit order of symbol', () => {
    expect(
      risk.positions.map((p) => [p.symbol, p.contractType, p.notional.toFixed(), p.unrealizedPnl.toFixed()]),
    ).toEqual([
      ['BTCUSDT', 'UM', '2000', '600'],
      ['BTCUSDT_B', 'UM', '1680', '-414'],
      ['BTCUSD_PERP', 'CM', '0.25', '-0.05'],
    ]);
  });
});

describe('computeRisk with the reference parameters', () => {
  const prices = referencePrices();

  it('counts a positive value slice by slice through the tiers (BTC 10M at 0.95, then 0.9)', () => {
    const risk = computeRisk({ balances: [balance('BTC', '200')], positions: [] }, prices, params);
    // 200 x 90000 = 18,000,000 = 10M x 0.95 + 8M x 0.9
    expect(risk.actualEquity.toFixed()).toBe('18000000');
    expect(risk.accountEquity.toFixed()).toBe('16700000');
  });

  it('counts a negative equity in full, without haircut', () => {
    const risk = computeRisk(
      { balances: [balance('USDT', '-1000'), balance('BTC', '1')], positions: [] },
      prices,
      params,
    );
    expect(byAsset(risk, 'USDT').collateralValueUsd.toFixed()).toBe('-1000');
    expect(risk.accountEquity.toFixed()).toBe(dec(90000).times('0.95').minus(1000).toFixed());
  });

  it('has uniMMR null and status NORMAL without maintenance margin', () => {
    const risk = computeRisk(
      { balances: [balance('BTC', '2'), balance('USDT', '5')], positions: [] },
      prices,
      params,
    );
    expect(risk.accountMaintMargin.isZero()).toBe(true);
    expect(risk.uniMMR).toBeNull();
    expect(risk.status).toBe('NORMAL');
    expect(risk.maxWithdrawUsd.toFixed()).toBe('171005');
  });

  describe('a negative balance that is not a loan carries loan margin (spec 3)', () => {
    it('an account whose only exposure is -80,000 USDT has a uniMMR and a status', () => {
      // E_USDT = -80000 (in full); BTC 1 x 90000 x 0.95 = 85500; accountEquity = 5500
      // MM = max(-(-80000 + 0), 0) x 0.10 x 1 = 8000; IM = 80000 x 1 / (5 - 1) = 20000
      const risk = computeRisk(
        { balances: [balance('USDT', '-80000'), balance('BTC', '1')], positions: [] },
        prices,
        params,
      );
      expect(risk.accountEquity.toFixed()).toBe('5500');
      expect(risk.accountMaintMargin.toFixed()).toBe('8000');
      expect(byAsset(risk, 'USDT').maintMarginUsd.toFixed()).toBe('8000');
      expect(byAsset(risk, 'BTC').maintMarginUsd.toFixed()).toBe('0');
      expect(risk.accountInitialMargin.toFixed()).toBe('20000');
      expect(risk.uniMMR?.toFixed()).toBe('0.6875');
      expect(risk.status).toBe('BANKRUPTED');
      expect(risk.availableBalance.toFixed()).toBe('0');
    });

    it('counts free + locked, on top of the loan: free -100, locked 30, borrowed 50, interest 2 in ETH', () => {
      // liability = 50 + 2 + max(-(-100 + 30), 0) = 122 ETH; at 3000: MM 122 x 0.1 x 3000 = 36600,
      // IM 122 x 3000 / 4 = 91500; E_ETH = -100 + 30 - 50 - 2 = -122
      const risk = computeRisk(
        {
          balances: [
            balance('ETH', '-100', { locked: '30', borrowed: '50', interest: '2' }),
            balance('BTC', '10'),
          ],
          positions: [],
        },
        prices,
        params,
      );
      expect(byAsset(risk, 'ETH').equity.toFixed()).toBe('-122');
      expect(byAsset(risk, 'ETH').maintMarginUsd.toFixed()).toBe('36600');
      expect(risk.accountInitialMargin.toFixed()).toBe('91500');
      // 855000 - 366000 = 489000; uniMMR = 489000 / 36600 = 13.36...
      expect(risk.accountEquity.toFixed()).toBe('489000');
      expect(risk.status).toBe('NORMAL');
    });

    it('a locked amount covering a negative free carries no margin', () => {
      const risk = computeRisk(
        { balances: [balance('USDT', '-10', { locked: '10' })], positions: [] },
        prices,
        params,
      );
      expect(risk.accountMaintMargin.isZero()).toBe(true);
      expect(risk.uniMMR).toBeNull();
    });
  });

  it('picks the bracket by notional and subtracts cum (BTCUSDT 1 BTC at 90000: 90000 x 0.005 - 50)', () => {
    const risk = computeRisk(
      { balances: [balance('USDT', '10000')], positions: [position('BTCUSDT', '1', '90000')] },
      prices,
      params,
    );
    expect(risk.accountMaintMargin.toFixed()).toBe('400');
    expect(risk.uniMMR?.toFixed()).toBe('25');
  });

  it('bracket for CM by notional in coin: 30,000 contracts x 100 / 90000 = 33.33 BTC', () => {
    const risk = computeRisk(
      { balances: [balance('BTC', '10')], positions: [position('BTCUSD_PERP', '-30000', '90000')] },
      prices,
      params,
    );
    const coin = dec(3000000).div(90000);
    expect(risk.positions[0].notional.eq(coin)).toBe(true);
    expect(risk.accountMaintMargin.eq(coin.times('0.004').times(90000))).toBe(true);
  });

  it('lists only assets with a non-zero balance, uPnL or margin, by symbol', () => {
    const risk = computeRisk(
      {
        balances: [balance('SOL', '0'), balance('ETH', '1'), balance('BNB', '0', { interest: '0.1' })],
        positions: [position('BTCUSDT', '0.1', '90000')],
      },
      prices,
      params,
    );
    expect(risk.assets.map((a) => a.asset)).toEqual(['BNB', 'ETH', 'USDT']);
  });

  it('sums repeated balance rows of one asset', () => {
    const risk = computeRisk(
      { balances: [balance('USDT', '1'), balance('USDT', '2', { borrowed: '0.5' })], positions: [] },
      prices,
      params,
    );
    expect(byAsset(risk, 'USDT').equity.toFixed()).toBe('2.5');
  });

  it('keeps full precision when given decimals of another decimal.js configuration', () => {
    const Low = DecimalJs.clone({ precision: 5 });
    const portfolio: Portfolio = {
      balances: [
        {
          asset: 'BTC',
          free: new Low('1.23456789'),
          locked: new Low(0),
          borrowed: new Low(0),
          interest: new Low(0),
        },
      ],
      positions: [{ symbol: 'BTCUSD_PERP', quantity: new Low(3), entryPrice: new Low(70000), leverage: 10 }],
    };
    const risk = computeRisk(portfolio, prices, params);
    const exact = dec('1.23456789').plus(dec(300).times(dec(1).div(70000).minus(dec(1).div(90000))));
    expect(byAsset(risk, 'BTC').equity.eq(exact)).toBe(true);
  });
});

describe('computeRisk refusals', () => {
  const prices = referencePrices();
  const withoutIndex = (asset: string) => {
    const index = new Map(prices.index);
    index.delete(asset);
    return { index, mark: prices.mark };
  };

  it('throws PriceUnavailableError for a held asset without index price', () => {
    const run = () =>
      computeRisk({ balances: [balance('ETH', '1')], positions: [] }, withoutIndex('ETH'), params);
    expect(run).toThrow(PriceUnavailableError);
    expect(run).toThrow(expect.objectContaining({ symbol: 'ETH' }));
  });

  it('throws PriceUnavailableError for a missing mark and for a missing settle index', () => {
    const mark = new Map(prices.mark);
    mark.delete('ETHUSDT');
    const portfolio = { balances: [], positions: [position('ETHUSDT', '1', '3000')] };
    expect(() => computeRisk(portfolio, { index: prices.index, mark }, params)).toThrow(
      expect.objectContaining({ name: 'PriceUnavailableError', symbol: 'ETHUSDT' }),
    );
    expect(() => computeRisk(portfolio, withoutIndex('USDT'), params)).toThrow(
      expect.objectContaining({ name: 'PriceUnavailableError', symbol: 'USDT' }),
    );
  });

  it('treats a zero price as unavailable', () => {
    const zero = book({ USDT: '1', BTC: '0' });
    expect(() => computeRisk({ balances: [balance('BTC', '1')], positions: [] }, zero, params)).toThrow(
      PriceUnavailableError,
    );
  });

  it('needs no price for an asset whose balance is all zero', () => {
    const risk = computeRisk({ balances: [balance('ETH', '0')], positions: [] }, withoutIndex('ETH'), params);
    expect(risk.assets).toEqual([]);
  });

  it('throws UnknownAssetError and UnknownSymbolError', () => {
    expect(() => computeRisk({ balances: [balance('DOGE', '1')], positions: [] }, prices, params)).toThrow(
      expect.objectContaining({ name: 'UnknownAssetError', symbol: 'DOGE' }),
    );
    expect(() => computeRisk({ balances: [balance('DOGE', '1')], positions: [] }, prices, params)).toThrow(
      UnknownAssetError,
    );
    expect(() =>
      computeRisk({ balances: [], positions: [position('DOGEUSDT', '1', '1')] }, prices, params),
    ).toThrow(UnknownSymbolError);
  });

  it('refuses two positions in one symbol (positions are net)', () => {
    const portfolio = {
      balances: [],
      positions: [position('BTCUSDT', '1', '1'), position('BTCUSDT', '-1', '1')],
    };
    expect(() => computeRisk(portfolio, prices, params)).toThrow(/one per symbol/);
  });
});
