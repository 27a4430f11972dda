import { dec, ZERO, type Decimal } from '../src/lib/decimal';
import type { Portfolio, PositionInput, ReferenceData } from '../src/services/margin';
import { referenceData, type ReferenceJson } from '../src/reference';
import { seededRandom } from './lib';

/**
 * A synthetic universe of Binance's size from the seeded generator: USDT, USDC, BTC and `assets - 3` other
 * collateral assets with tiered haircuts, and `symbols` futures: a USDT and a USDC linear perpetual on every
 * non-stable asset, linear quarterlies, then inverse (CM) perpetuals settling in their coin. Nothing in the
 * book or the engine knows these sizes; the reference data is only the server's default universe.
 */
export interface UniverseOptions {
  assets: number;
  symbols: number;
  seed: number;
}

export const BINANCE_SIZE: UniverseOptions = { assets: 362, symbols: 878, seed: 20261128 };

export interface Universe {
  reference: ReferenceData;
  /** Index price per asset, mark per symbol (marks equal their base's index). */
  prices: Map<string, Decimal>;
  /** Non-stable assets, BTC first. */
  coins: string[];
  /** Symbols by base asset. */
  symbolsOf: Map<string, string[]>;
  symbolType: Map<string, 'UM' | 'CM'>;
}

export function universe({ assets, symbols, seed }: UniverseOptions): Universe {
  const random = seededRandom(seed);
  const coins = ['BTC', ...Array.from({ length: assets - 3 }, (_, i) => `C${String(i).padStart(3, '0')}`)];
  const price = new Map<string, Decimal>([
    ['USDT', dec(1)],
    ['USDC', dec(1)],
    ['BTC', dec(90000)],
  ]);
  for (const c of coins.slice(1)) price.set(c, dec((10 ** (random() * 6 - 2)).toPrecision(6)));

  const tiers = (big: boolean) => {
    const first = big ? 10_000_000 : Math.round(10 ** (5 + random() * 2));
    const rate = big ? 0.95 : Math.round((0.5 + random() * 0.45) * 100) / 100;
    return [
      { floor: '0', cap: String(first), rate: String(rate) },
      { floor: String(first), cap: String(first * 5), rate: String(Math.round(rate * 90) / 100) },
      { floor: String(first * 5), cap: null, rate: String(Math.round(rate * 50) / 100) },
    ];
  };
  const stable = [{ floor: '0', cap: null, rate: '1' }];
  const referenceAssets = [...price.keys()].map((symbol) => ({
    symbol,
    precision: 8,
    indexPrice: (price.get(symbol) as Decimal).toFixed(),
    loanMMR: '0.10',
    marginLeverage: 5,
    hourlyInterestRate: '0.000005',
    borrowLimit: '1000000000',
    collateralTiers: symbol.startsWith('USD') ? stable : tiers(symbol === 'BTC'),
  }));

  const wanted: { symbol: string; type: 'UM' | 'CM'; base: string; settle: string }[] = [];
  for (const settle of ['USDT', 'USDC'])
    for (const base of coins) wanted.push({ symbol: `${base}${settle}`, type: 'UM', base, settle });
  for (const base of coins) wanted.push({ symbol: `${base}USD_PERP`, type: 'CM', base, settle: base });
  for (const base of coins) wanted.push({ symbol: `${base}USDT_Q`, type: 'UM', base, settle: 'USDT' });
  const chosen = wanted.slice(0, symbols);
  if (chosen.length < symbols) throw new RangeError(`at most ${wanted.length} symbols for ${assets} assets`);

  const referenceSymbols = chosen.map((s) => ({
    symbol: s.symbol,
    type: s.type,
    base: s.base,
    settle: s.settle,
    faceValueUsd: s.type === 'CM' ? (s.base === 'BTC' ? '100' : '10') : null,
    defaultLeverage: 20,
    brackets: brackets(s.type === 'UM' ? 50_000 : 5, 4 + Math.floor(random() * 6)),
  }));
  const prices = new Map(price);
  for (const s of chosen) prices.set(s.symbol, price.get(s.base) as Decimal);
  const symbolsOf = new Map<string, string[]>();
  for (const s of chosen) symbolsOf.set(s.base, [...(symbolsOf.get(s.base) ?? []), s.symbol]);
  return {
    reference: {
      eligibility: { minQualifyingBalanceUsd: '100000', vipLevels: [1, 9] },
      riskBands: [
        { status: 'NORMAL', above: '1.5' },
        { status: 'MARGIN_CALL', above: '1.3' },
        { status: 'SUPPLY_MARGIN', above: '1.2' },
        { status: 'REDUCE_ONLY', above: '1.05' },
        { status: 'FORCE_LIQUIDATION', above: '1.0' },
        { status: 'BANKRUPTED', above: null },
      ],
      maxWithdrawMmMultiple: '1.2',
      assets: referenceAssets,
      symbols: referenceSymbols,
    },
    prices,
    coins,
    symbolsOf,
    symbolType: new Map(chosen.map((s) => [s.symbol, s.type])),
  };
}

/** Brackets from `first` up, each 5x wider, mmr doubling from 0.4%; cum keeps the margin continuous (spec 3). */
function brackets(first: number, count: number) {
  const rows = [];
  let cum = ZERO;
  for (let k = 0; k < count; k++) {
    const floor = k === 0 ? 0 : first * 5 ** (k - 1);
    const mmr = dec(Math.min(0.004 * 2 ** k, 0.5));
    if (k > 0) cum = cum.plus(dec(floor).times(mmr.minus(rows[k - 1].mmr)));
    rows.push({
      floor: String(floor),
      cap: k === count - 1 ? null : String(first * 5 ** k),
      mmr: mmr.toFixed(),
      cum: cum.toFixed(),
      maxLeverage: Math.max(1, Math.floor(125 / 2 ** k)),
    });
  }
  return rows;
}

/**
 * Accounts holding 5 to 30 assets and positions in all. `shares` gives, for a few coins, the share of accounts
 * exposed to each (a balance in it and, four times in five, a position on one of its symbols); no other
 * account holds that coin or any symbol based on it. Amounts come from small pools of Decimals (Decimals are
 * immutable), so that generating is cheap next to loading the book.
 */
export function accountGenerator(
  u: Universe,
  seed: number,
  shares: ReadonlyMap<string, number>,
): () => Portfolio {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const POOL = 32;
  // About 1,000 to 10 million USD of an asset; loans of 100 to 100,000 USD; positions of 200 to 2 million USD.
  const amounts = new Map<string, { free: Decimal[]; loan: Decimal[] }>();
  const amountsOf = (asset: string) => {
    let a = amounts.get(asset);
    if (!a) {
      const usd = u.prices.get(asset) as Decimal;
      const of = (scale: number, digits: number) =>
        dec((10 ** (random() * digits) * scale).toFixed(2))
          .div(usd)
          .toDecimalPlaces(8);
      a = {
        free: Array.from({ length: POOL }, () => of(1000, 4)),
        loan: Array.from({ length: POOL }, () => of(100, 3)),
      };
      amounts.set(asset, a);
    }
    return a;
  };
  const sizes = new Map<string, { quantity: Decimal[]; entry: Decimal[] }>();
  const sizesOf = (symbol: string, base: string) => {
    let s = sizes.get(symbol);
    if (!s) {
      const mark = u.prices.get(base) as Decimal;
      const cm = u.symbolType.get(symbol) === 'CM';
      const quantity = Array.from({ length: POOL }, () => {
        const usd = dec((10 ** (random() * 4) * 200).toFixed(2));
        const size = cm
          ? usd.div(base === 'BTC' ? 100 : 10).toDecimalPlaces(0)
          : usd.div(mark).toDecimalPlaces(6);
        return size.isZero() ? dec(1) : size;
      });
      const entry = Array.from({ length: POOL }, () =>
        mark.times((0.8 + random() * 0.4).toFixed(4)).toSignificantDigits(8),
      );
      sizes.set(symbol, (s = { quantity: [...quantity, ...quantity.map((q) => q.neg())], entry }));
    }
    return s;
  };
  const others = u.coins.filter((c) => !shares.has(c));

  return () => {
    const holdings = 5 + Math.floor(random() * 26);
    const exposed = [...shares].filter(([, share]) => random() < share).map(([coin]) => coin);
    const balanceCount = Math.max(1 + exposed.length, Math.floor(holdings * (0.3 + random() * 0.4)));
    const assets = new Set<string>(['USDT', ...exposed]);
    while (assets.size < balanceCount) assets.add(random() < 0.2 ? 'USDC' : pick(others));
    const balances = [...assets].map((asset) => {
      const a = amountsOf(asset);
      return {
        asset,
        free: pick(a.free),
        locked: ZERO,
        borrowed: random() < 0.2 ? pick(a.loan) : ZERO,
        interest: ZERO,
      };
    });
    const positions: PositionInput[] = [];
    const held = new Set<string>();
    const bases = exposed.filter(() => random() < 0.8);
    while (positions.length < holdings - balances.length) {
      const base = bases.pop() ?? pick(others);
      const symbol = pick(u.symbolsOf.get(base) ?? []);
      if (symbol === undefined || held.has(symbol)) continue;
      held.add(symbol);
      const s = sizesOf(symbol, base);
      positions.push({
        symbol,
        quantity: pick(s.quantity),
        entryPrice: pick(s.entry),
        leverage: 1 + Math.floor(random() * 20),
      });
    }
    return { balances, positions };
  };
}

/** The server's reference data with the universe's catalogue in place of the default one (quiz and wallets kept). */
export function universeReference(u: Universe): ReferenceJson {
  return { ...referenceData, ...u.reference } as ReferenceJson;
}
