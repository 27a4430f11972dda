import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dec, type Decimal } from '../../../src/lib/decimal';
import {
  computeRisk,
  riskParamsFromReference,
  type BalanceInput,
  type Portfolio,
  type PositionInput,
  type PriceBook,
  type ReferenceData,
  type RiskParams,
} from '../../../src/services/margin';

/** The project's own copy of the reference data, parsed as the server loads it. */
export const reference: ReferenceData = JSON.parse(
  readFileSync(path.join(__dirname, '../../../src/reference/reference.json'), 'utf8'),
);
export const params: RiskParams = riskParamsFromReference(reference);

export function balance(
  asset: string,
  free: string,
  more: { locked?: string; borrowed?: string; interest?: string } = {},
): BalanceInput {
  return {
    asset,
    free: dec(free),
    locked: dec(more.locked ?? '0'),
    borrowed: dec(more.borrowed ?? '0'),
    interest: dec(more.interest ?? '0'),
  };
}

export function position(symbol: string, quantity: string, entryPrice: string, leverage = 10): PositionInput {
  return { symbol, quantity: dec(quantity), entryPrice: dec(entryPrice), leverage };
}

export function book(index: Record<string, string>, mark: Record<string, string> = {}): PriceBook {
  const toMap = (o: Record<string, string>) => new Map(Object.entries(o).map(([k, v]) => [k, dec(v)]));
  return { index: toMap(index), mark: toMap(mark) };
}

/** Reference index prices, and marks equal to the base asset's index. */
export function referencePrices(): PriceBook {
  const index: Record<string, string> = {};
  for (const a of reference.assets) index[a.symbol] = a.indexPrice ?? '1';
  const mark: Record<string, string> = {};
  for (const s of reference.symbols) mark[s.symbol] = index[s.base];
  return book(index, mark);
}

/** The same prices with X's index and the marks of the symbols based on X times r (spec 6). */
export function scaled(prices: PriceBook, p: RiskParams, asset: string, r: Decimal): PriceBook {
  const index = new Map(prices.index);
  index.set(asset, (prices.index.get(asset) as Decimal).times(r));
  const mark = new Map(prices.mark);
  for (const [symbol, price] of prices.mark)
    if (p.symbols.get(symbol)?.base === asset) mark.set(symbol, price.times(r));
  return { index, mark };
}

export function uniMMRAt(portfolio: Portfolio, prices: PriceBook, p: RiskParams, asset: string, r: Decimal) {
  return computeRisk(portfolio, scaled(prices, p, asset, r), p).uniMMR;
}

const flat = (rate: string) => [{ floor: '0', cap: null, rate }];
const oneBracket = [{ floor: '0', cap: null, mmr: '0.005', cum: '0', maxLeverage: 100 }];

/**
 * Spec 3's worked example ("derived from the Binance PM Pro example; parameters assumed"): flat collateral
 * rates USDT 1.0, BTC 0.95, ETH 0.95, every MMR 0.5% with cum 0, loanMMR 10%. The example holds TWO UM BTC
 * positions with different marks while the engine keeps one net position per symbol, so the second one lives
 * in a test-only UM symbol BTCUSDT_B (base BTC, settles in USDT).
 */
export const pmProParams: RiskParams = riskParamsFromReference({
  ...reference,
  assets: [
    { ...reference.assets[0], symbol: 'USDT', collateralTiers: flat('1'), loanMMR: '0.10' },
    { ...reference.assets[2], symbol: 'BTC', collateralTiers: flat('0.95'), loanMMR: '0.10' },
    { ...reference.assets[3], symbol: 'ETH', collateralTiers: flat('0.95'), loanMMR: '0.10' },
  ],
  symbols: [
    { symbol: 'BTCUSDT', type: 'UM', base: 'BTC', settle: 'USDT', defaultLeverage: 10, brackets: oneBracket },
    {
      symbol: 'BTCUSDT_B',
      type: 'UM',
      base: 'BTC',
      settle: 'USDT',
      defaultLeverage: 10,
      brackets: oneBracket,
    },
    {
      symbol: 'BTCUSD_PERP',
      type: 'CM',
      base: 'BTC',
      settle: 'BTC',
      faceValueUsd: '100',
      defaultLeverage: 10,
      brackets: oneBracket,
    },
  ],
});

export const pmProPortfolio: Portfolio = {
  balances: [
    balance('USDT', '6000'),
    balance('BTC', '0.2', { borrowed: '0.04' }),
    balance('ETH', '20', { borrowed: '15' }),
  ],
  positions: [
    position('BTCUSDT', '-0.05', '52000'),
    position('BTCUSDT_B', '0.04', '52350'),
    position('BTCUSD_PERP', '100', '50000'),
  ],
};

export const pmProPrices: PriceBook = book(
  { USDT: '1', BTC: '40000', ETH: '3000' },
  { BTCUSDT: '40000', BTCUSDT_B: '42000', BTCUSD_PERP: '40000' },
);

/**
 * Checks one liquidation price against spec 6 by brute force: at it uniMMR is the threshold within 1e-8
 * (relative), and no sampled factor nearer to 1 by |ln r|, on either side, is at or below the threshold; a
 * null answer has no sampled factor in (0, 100] at or below it. `samples` per side, geometric.
 */
export function expectLiquidationPrice(
  portfolio: Portfolio,
  prices: PriceBook,
  p: RiskParams,
  asset: string,
  liquidationPrice: Decimal | null,
  threshold: Decimal,
  samples = 60,
): void {
  const current = prices.index.get(asset) as Decimal;
  const above = (r: Decimal) => {
    const u = uniMMRAt(portfolio, prices, p, asset, r);
    return u === null || u.gt(threshold);
  };
  const geometric = (from: Decimal, to: Decimal) =>
    Array.from({ length: samples }, (_, i) => from.times(to.div(from).pow(dec(i + 1).div(samples + 1))));
  if (liquidationPrice === null) {
    const lowest = dec('1e-9');
    for (const r of [...geometric(lowest, dec(1)), ...geometric(dec(1), dec(100)), lowest, dec(100)]) {
      if (!above(r))
        throw new Error(`${asset}: null, but uniMMR <= ${threshold.toFixed()} at r = ${r.toFixed()}`);
    }
    return;
  }
  const r = liquidationPrice.div(current);
  if (r.eq(1)) {
    const u = computeRisk(portfolio, prices, p).uniMMR;
    if (u === null || u.gt(threshold)) throw new Error(`${asset}: current price although uniMMR > threshold`);
    return;
  }
  const u = uniMMRAt(portfolio, prices, p, asset, r);
  if (u === null || u.minus(threshold).abs().gt(threshold.times('1e-8'))) {
    throw new Error(
      `${asset}: uniMMR ${u?.toFixed()} at the liquidation price ${liquidationPrice.toFixed()}`,
    );
  }
  // strictly inside |ln r'| < |ln r|: keep away from r itself by 1e-9 relative
  const inner = r.gt(1) ? r.times(dec(1).minus('1e-9')) : r.times(dec(1).plus('1e-9'));
  for (const s of [...geometric(dec(1), inner), ...geometric(dec(1), dec(1).div(inner))]) {
    if (!above(s)) throw new Error(`${asset}: a nearer crossing at r = ${s.toFixed()} than ${r.toFixed()}`);
  }
}
