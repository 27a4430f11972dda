import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dec, type Decimal } from '../src/lib/decimal';
import {
  computeRisk,
  liquidationPrices,
  maxWithdraw,
  riskParamsFromReference,
  riskTerms,
  type Portfolio,
  type PriceBook,
  type ReferenceData,
  type RiskParams,
  type RiskStatus,
} from '../src/services/margin';
import { measure, seededRandom, type BenchRow, type BenchSuite } from './lib';

/**
 * The exact risk engine against a float64 baseline of the same formulas: one account recomputed many times,
 * then a batch of 100,000 accounts (1,000 in smoke mode), each recomputed once. The baseline shows what
 * exactness costs; it is inexact and lives only here.
 */
export const engineSuite: BenchSuite = {
  name: 'risk engine',
  async run({ smoke }) {
    const reference: ReferenceData = JSON.parse(
      readFileSync(path.join(__dirname, '../src/reference/reference.json'), 'utf8'),
    );
    const params = riskParamsFromReference(reference);
    const prices = referencePrices(reference);
    const floatParams = baselineParams(reference);
    const floatPrices = baselinePrices(prices);
    const one = exactPortfolio(ONE_ACCOUNT);
    const minMs = smoke ? 40 : 1_500;

    // Single-account cases first, before the batch fills the heap.
    const single = measure(() => computeRisk(one, prices, params), { minMs, warmupCalls: 300 });
    const singleRows: BenchRow[] = [
      {
        case: 'computeRisk, one account (4 assets, 3 positions)',
        baseline: 'float64 baseline, same account',
        opsPerSec: single,
        baselineOpsPerSec: measure(() => baselineRisk(ONE_ACCOUNT, floatPrices, floatParams), {
          minMs,
          warmupCalls: 3000,
        }),
      },
      {
        case: 'riskTerms after an ETH tick, same account (only moved terms)',
        baseline: 'computeRisk, same account',
        opsPerSec: incrementalOps(one, prices, params, minMs),
        baselineOpsPerSec: single,
      },
      {
        case: 'maxWithdraw(BTC), one account',
        baseline: 'computeRisk, same account',
        opsPerSec: measure(() => maxWithdraw(one, prices, params, 'BTC'), { minMs: minMs / 3 }),
        baselineOpsPerSec: single,
      },
      {
        case: 'liquidationPrices, one account (4 assets)',
        baseline: 'computeRisk, same account',
        opsPerSec: measure(() => liquidationPrices(one, prices, params), {
          minMs: minMs / 3,
          warmupCalls: 1,
        }),
        baselineOpsPerSec: single,
      },
    ];

    const random = seededRandom(20240601);
    const batchSize = smoke ? 1_000 : 100_000;
    const accounts = Array.from({ length: batchSize }, () => randomAccount(random, reference));
    const exactBatch = accounts.map((a) => exactPortfolio(a));
    const exactBatchOps = measure(
      () => {
        for (const p of exactBatch) computeRisk(p, prices, params);
      },
      { minMs: 0, maxCalls: 1, warmupCalls: smoke ? 1 : 0, opsPerCall: batchSize },
    );
    const floatBatchOps = measure(
      () => {
        for (const a of accounts) baselineRisk(a, floatPrices, floatParams);
      },
      { minMs, opsPerCall: batchSize },
    );
    const batchRow: BenchRow = {
      case: `computeRisk, ${batchSize.toLocaleString('en-US')} accounts (ops = accounts)`,
      baseline: 'float64 baseline, same accounts',
      opsPerSec: exactBatchOps,
      baselineOpsPerSec: floatBatchOps,
      note: deviation(accounts.slice(0, 20_000), exactBatch, prices, params, floatPrices, floatParams),
    };
    const rows = [singleRows[0], batchRow, ...singleRows.slice(1)];
    return rows;
  },
};

// ----------------------------------------------------------------------------------------------------
// Data: accounts as decimal strings, turned into exact inputs for the engine and floats for the baseline.

interface RawBalance {
  asset: string;
  free: string;
  borrowed: string;
  interest: string;
}
interface RawPosition {
  symbol: string;
  quantity: string;
  entryPrice: string;
  leverage: number;
}
interface RawAccount {
  balances: RawBalance[];
  positions: RawPosition[];
}

const ONE_ACCOUNT: RawAccount = {
  balances: [
    { asset: 'USDT', free: '250000', borrowed: '20000', interest: '1.25' },
    { asset: 'BTC', free: '3.5', borrowed: '0.5', interest: '0.0001' },
    { asset: 'ETH', free: '40', borrowed: '0', interest: '0' },
    { asset: 'SOL', free: '-12.5', borrowed: '0', interest: '0' },
  ],
  positions: [
    { symbol: 'BTCUSDT', quantity: '-4.2', entryPrice: '93250.5', leverage: 10 },
    { symbol: 'ETHUSDT', quantity: '55', entryPrice: '2890.25', leverage: 20 },
    { symbol: 'BTCUSD_PERP', quantity: '3000', entryPrice: '87555.3', leverage: 5 },
  ],
};

function randomAccount(random: () => number, reference: ReferenceData): RawAccount {
  const pick = <T>(items: readonly T[], count: number): T[] =>
    [...items].sort(() => random() - 0.5).slice(0, count);
  const price = (asset: string) =>
    Number(reference.assets.find((a) => a.symbol === asset)?.indexPrice ?? '1');
  const usd = () => 10 ** (2 + random() * 5);
  const balances = pick(reference.assets, 1 + Math.floor(random() * 4)).map((a) => {
    const free = usd() / price(a.symbol);
    const borrowed = random() < 0.3 ? free * random() * 0.8 : 0;
    return {
      asset: a.symbol,
      free: free.toFixed(8),
      borrowed: borrowed.toFixed(8),
      interest: (borrowed * 0.0001).toFixed(8),
    };
  });
  const positions = pick(reference.symbols, Math.floor(random() * 4)).map((s) => {
    const mark = price(s.base);
    const sizeUsd = usd() / 4;
    const quantity =
      s.type === 'UM'
        ? (sizeUsd / mark).toFixed(3)
        : Math.max(1, Math.round(sizeUsd / Number(s.faceValueUsd))).toFixed(0);
    return {
      symbol: s.symbol,
      quantity: random() < 0.5 ? `-${quantity}` : quantity,
      entryPrice: (mark * (0.9 + random() * 0.2)).toFixed(2),
      leverage: 1 + Math.floor(random() * 20),
    };
  });
  return { balances, positions };
}

function exactPortfolio(a: RawAccount): Portfolio {
  return {
    balances: a.balances.map((b) => ({
      asset: b.asset,
      free: dec(b.free),
      locked: dec(0),
      borrowed: dec(b.borrowed),
      interest: dec(b.interest),
    })),
    positions: a.positions.map((p) => ({ ...p, quantity: dec(p.quantity), entryPrice: dec(p.entryPrice) })),
  };
}

/**
 * The same account recomputed from its previous terms while ETH's index and marks alternate between two
 * prices: each call redoes the ETH position, the ETH line and the USDT line it settles in, and keeps the rest.
 */
function incrementalOps(portfolio: Portfolio, prices: PriceBook, params: RiskParams, minMs: number): number {
  const ethMoved = (p: Decimal) => p.times('1.001');
  const moved: PriceBook = {
    index: new Map([...prices.index].map(([a, p]) => [a, a === 'ETH' ? ethMoved(p) : p])),
    mark: new Map(
      [...prices.mark].map(([s, p]) => [s, params.symbols.get(s)?.base === 'ETH' ? ethMoved(p) : p]),
    ),
  };
  let terms = riskTerms(portfolio, prices, params, null);
  let flip = false;
  return measure(
    () => {
      flip = !flip;
      terms = riskTerms(portfolio, flip ? moved : prices, params, terms);
    },
    { minMs, warmupCalls: 300 },
  );
}

function referencePrices(reference: ReferenceData): PriceBook {
  const index = new Map(reference.assets.map((a) => [a.symbol, dec(a.indexPrice ?? '1')]));
  const mark = new Map(reference.symbols.map((s) => [s.symbol, index.get(s.base) as Decimal]));
  return { index, mark };
}

/** Largest relative error of the baseline's uniMMR, and the accounts whose status it gets wrong. */
function deviation(
  raw: RawAccount[],
  exact: Portfolio[],
  prices: PriceBook,
  params: RiskParams,
  floatPrices: BaselinePrices,
  floatParams: BaselineParams,
): string {
  let worst = 0;
  let wrongStatus = 0;
  raw.forEach((a, i) => {
    const e = computeRisk(exact[i], prices, params);
    const f = baselineRisk(a, floatPrices, floatParams);
    if (e.status !== f.status) wrongStatus++;
    if (e.uniMMR !== null && f.uniMMR !== null && !e.uniMMR.isZero()) {
      worst = Math.max(worst, Math.abs(f.uniMMR / e.uniMMR.toNumber() - 1));
    }
  });
  const n = raw.length.toLocaleString('en-US');
  const error = worst.toExponential(1);
  return `float64 vs exact over ${n} accounts: uniMMR max relative error ${error}, status mismatches ${wrongStatus}`;
}

// ----------------------------------------------------------------------------------------------------
// BASELINE ONLY: spec 3's formulas in float64. Inexact by design (it rounds every step); it exists to price
// the exact engine and must not be used for anything else.

interface BaselineParams {
  assets: Map<
    string,
    { tiers: { floor: number; cap: number | null; rate: number }[]; loanMMR: number; marginLeverage: number }
  >;
  symbols: Map<
    string,
    {
      um: boolean;
      settle: string;
      face: number;
      brackets: { floor: number; cap: number | null; mmr: number; cum: number }[];
    }
  >;
  bands: { status: RiskStatus; above: number | null }[];
}
interface BaselinePrices {
  index: Map<string, number>;
  mark: Map<string, number>;
}

function baselineParams(reference: ReferenceData): BaselineParams {
  const num = (s: string | null) => (s === null ? null : Number(s));
  return {
    assets: new Map(
      reference.assets.map((a) => [
        a.symbol,
        {
          tiers: a.collateralTiers.map((t) => ({
            floor: Number(t.floor),
            cap: num(t.cap),
            rate: Number(t.rate),
          })),
          loanMMR: Number(a.loanMMR),
          marginLeverage: a.marginLeverage,
        },
      ]),
    ),
    symbols: new Map(
      reference.symbols.map((s) => [
        s.symbol,
        {
          um: s.type === 'UM',
          settle: s.settle,
          face: Number(s.faceValueUsd ?? 0),
          brackets: s.brackets.map((b) => ({
            floor: Number(b.floor),
            cap: num(b.cap),
            mmr: Number(b.mmr),
            cum: Number(b.cum),
          })),
        },
      ]),
    ),
    bands: reference.riskBands.map((b) => ({ status: b.status as RiskStatus, above: num(b.above) })),
  };
}

function baselinePrices(prices: PriceBook): BaselinePrices {
  const toNumbers = (m: ReadonlyMap<string, Decimal>) => new Map([...m].map(([k, v]) => [k, v.toNumber()]));
  return { index: toNumbers(prices.index), mark: toNumbers(prices.mark) };
}

function baselineRisk(a: RawAccount, prices: BaselinePrices, params: BaselineParams) {
  const sums = new Map<string, { net: number; debt: number; pnl: number; mm: number; im: number }>();
  const of = (asset: string) => {
    let s = sums.get(asset);
    if (!s) sums.set(asset, (s = { net: 0, debt: 0, pnl: 0, mm: 0, im: 0 }));
    return s;
  };
  for (const b of a.balances) {
    const s = of(b.asset);
    const debt = Number(b.borrowed) + Number(b.interest);
    s.net += Number(b.free) - debt;
    s.debt += debt;
  }
  for (const p of a.positions) {
    const spec = params.symbols.get(p.symbol);
    const mark = prices.mark.get(p.symbol);
    const settleIndex = prices.index.get(spec?.settle ?? '');
    if (!spec || mark === undefined || settleIndex === undefined) throw new Error(`baseline: ${p.symbol}`);
    const q = Number(p.quantity);
    const entry = Number(p.entryPrice);
    const size = spec.um ? Math.abs(q * mark) : (Math.abs(q) * spec.face) / mark;
    const bracket =
      spec.brackets.find((b) => b.cap === null || size < b.cap) ?? spec.brackets[spec.brackets.length - 1];
    const s = of(spec.settle);
    s.pnl += spec.um ? q * (mark - entry) : q * spec.face * (1 / entry - 1 / mark);
    s.mm += (size * bracket.mmr - bracket.cum) * settleIndex;
    s.im += (size / p.leverage) * settleIndex;
  }
  let accountEquity = 0;
  let mm = 0;
  let im = 0;
  for (const [asset, s] of sums) {
    const spec = params.assets.get(asset);
    const index = prices.index.get(asset);
    if (!spec || index === undefined) throw new Error(`baseline: ${asset}`);
    const value = (s.net + s.pnl) * index;
    let adjusted = value;
    if (value > 0) {
      adjusted = 0;
      spec.tiers.forEach((t, i) => {
        const cap = i === spec.tiers.length - 1 ? null : t.cap;
        if (value > t.floor) adjusted += ((cap === null ? value : Math.min(value, cap)) - t.floor) * t.rate;
      });
    }
    accountEquity += adjusted;
    mm += s.mm + s.debt * spec.loanMMR * index;
    im += s.im + (s.debt * index) / (spec.marginLeverage - 1);
  }
  const uniMMR = mm === 0 ? null : accountEquity / mm;
  const band = params.bands.find((b) => uniMMR === null || b.above === null || uniMMR > b.above);
  return { accountEquity, mm, im, uniMMR, status: band?.status ?? 'NORMAL' };
}
