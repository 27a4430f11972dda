import fc from 'fast-check';
import { dec, type Decimal } from '../../../src/lib/decimal';
import {
  computeRisk,
  riskTerms,
  type BalanceInput,
  type Portfolio,
  type PositionInput,
  type RiskTerms,
} from '../../../src/services/margin';
import { PriceSnapshot } from '../../../src/services/prices/snapshot';
import { RiskBook } from '../../../src/services/risk-book/book';
import { params, reference } from '../margin/fixtures';

/**
 * The book against the exact engine: random portfolios (loans, negative balances, UM and CM positions at
 * any leverage) through random price paths, plus accounts placed exactly on and next to every band edge.
 * After each tick is drained, every account's decided status must equal the engine's and its float uniMMR
 * must lie within 1e-12 relative of the exact one. The exact engine's incremental form (`riskTerms`, fed its
 * previous terms on each tick) must give computeRisk's result digit for digit.
 */

const ACCOUNTS_PER_RUN = 100;
const RUNS = 50;
const assetNames = reference.assets.map((a) => a.symbol);
const referenceIndex = new Map(reference.assets.map((a) => [a.symbol, dec(a.indexPrice ?? '1')]));

const scaled = (digits: number) => (n: bigint) => dec(n.toString()).div(10 ** digits);
const amount = fc.bigInt({ min: -(10n ** 11n), max: 10n ** 13n }).map(scaled(8));
const small = fc.oneof(fc.constant(dec(0)), fc.bigInt({ min: 1n, max: 10n ** 11n }).map(scaled(8)));

const balanceArb: fc.Arbitrary<BalanceInput> = fc.record({
  asset: fc.constantFrom(...assetNames),
  free: amount,
  locked: small,
  borrowed: small,
  interest: small,
});

const positionArb = (symbol: (typeof reference.symbols)[number]): fc.Arbitrary<PositionInput> =>
  fc
    .record({
      size:
        symbol.type === 'UM'
          ? fc.bigInt({ min: 1n, max: 10n ** 7n }).map(scaled(3))
          : fc.bigInt({ min: 1n, max: 10n ** 5n }).map(scaled(0)),
      short: fc.boolean(),
      entryFactor: fc.integer({ min: 500, max: 1500 }),
      leverage: fc.integer({ min: 1, max: 125 }),
    })
    .map(({ size, short, entryFactor, leverage }) => ({
      symbol: symbol.symbol,
      quantity: short ? size.neg() : size,
      entryPrice: (referenceIndex.get(symbol.base) as Decimal)
        .times(entryFactor)
        .div(1000)
        .toDecimalPlaces(2),
      leverage,
    }));

const portfolioArb: fc.Arbitrary<Portfolio> = fc.record({
  balances: fc.array(balanceArb, { minLength: 0, maxLength: 6 }),
  positions: fc
    .subarray(reference.symbols, { minLength: 0, maxLength: reference.symbols.length })
    .chain((symbols) => fc.tuple(...symbols.map(positionArb))),
});

/** One tick: some assets move (index and the marks based on them), some marks move on their own. */
const tickArb = fc.record({
  index: fc.dictionary(
    fc.constantFrom(...assetNames.filter((a) => a !== 'USDT')),
    fc.integer({ min: 600, max: 1400 }),
  ),
  mark: fc.dictionary(
    fc.constantFrom(...reference.symbols.map((s) => s.symbol)),
    fc.integer({ min: 990, max: 1010 }),
  ),
});

let clock = 0;
function write(snapshot: PriceSnapshot, prices: Map<string, Decimal>): string[] {
  const at = new Date(++clock);
  return snapshot
    .write([...prices].map(([symbol, price]) => ({ symbol, price, updatedAt: at })))
    .map((p) => p.symbol);
}

/** USDT counts in full at index 1, so x more USDT moves accountEquity by exactly x. */
function onEdges(portfolio: Portfolio, snapshot: PriceSnapshot): Portfolio[] {
  if (portfolio.balances.some((b) => b.asset === 'USDT')) return [];
  const risk = computeRisk(portfolio, snapshot.book(), params);
  if (!risk.accountMaintMargin.gt(0)) return [];
  const edges: Portfolio[] = [];
  for (const band of params.bands) {
    if (band.above === null) continue;
    const gap = band.above.times(risk.accountMaintMargin).minus(risk.accountEquity);
    for (const nudge of ['0', '1e-18', '-1e-18']) {
      const x = gap.plus(nudge);
      if (!x.gt(0)) continue;
      const usdt = { asset: 'USDT', free: x, locked: dec(0), borrowed: dec(0), interest: dec(0) };
      edges.push({ balances: [...portfolio.balances, usdt], positions: portfolio.positions });
    }
  }
  return edges;
}

describe('risk book: fast path against the exact engine', () => {
  it('decides every status as the engine does, with uniMMR within 1e-12 relative', () => {
    let portfolios = 0;
    let exactDecisions = 0;
    let reusedTerms = 0;
    fc.assert(
      fc.property(
        fc.array(portfolioArb, { minLength: ACCOUNTS_PER_RUN, maxLength: ACCOUNTS_PER_RUN }),
        fc.array(tickArb, { minLength: 1, maxLength: 3 }),
        (random, ticks) => {
          const prices = new Map<string, Decimal>([...referenceIndex]);
          for (const s of reference.symbols) prices.set(s.symbol, referenceIndex.get(s.base) as Decimal);
          const snapshot = new PriceSnapshot((symbol) => referenceIndex.has(symbol));
          write(snapshot, prices);
          const book = new RiskBook(params);
          book.setPrices(snapshot, prices.keys());
          const accounts = new Map<string, Portfolio>();
          const add = (p: Portfolio) => {
            const id = String(accounts.size + 1);
            accounts.set(id, p);
            book.upsertAccount(id, 1, p);
          };
          random.forEach(add);
          random
            .slice(0, 40)
            .flatMap((p) => onEdges(p, snapshot))
            .forEach(add);

          const terms = new Map<string, RiskTerms>();
          const check = () => {
            book.drainSome(Number.MAX_SAFE_INTEGER);
            for (const [id, portfolio] of accounts) {
              const exact = computeRisk(portfolio, snapshot.book(), params);
              const previous = terms.get(id);
              const incremental = riskTerms(portfolio, snapshot.book(), params, previous ?? null);
              // decimal.js prints every digit and the sign of a zero: equal text is the same result.
              if (JSON.stringify(incremental.result) !== JSON.stringify(exact))
                throw new Error(`account ${id}: incremental risk differs from computeRisk`);
              reusedTerms += incremental.assets.filter((a, i) => a === previous?.assets[i]).length;
              terms.set(id, incremental);
              const decided = book.current(id);
              expect(decided?.status).toBe(exact.status);
              if (exact.uniMMR === null) expect(decided?.ratio).toBe(Infinity);
              else {
                const want = exact.uniMMR;
                const error = dec(decided?.ratio ?? NaN)
                  .minus(want)
                  .abs();
                if (!error.lte(want.abs().times('1e-12')))
                  throw new Error(`account ${id}: fast ${decided?.ratio}, exact ${want.toString()}`);
              }
            }
          };
          check();
          for (const tick of ticks) {
            for (const [asset, factor] of Object.entries(tick.index)) {
              const moved = (prices.get(asset) as Decimal).times(factor).div(1000);
              prices.set(asset, moved);
              for (const s of reference.symbols) if (s.base === asset) prices.set(s.symbol, moved);
            }
            for (const [symbol, factor] of Object.entries(tick.mark))
              prices.set(symbol, (prices.get(symbol) as Decimal).times(factor).div(1000));
            book.setPrices(snapshot, write(snapshot, prices));
            // The last tick places fresh accounts on the band edges at the final prices.
            if (tick === ticks[ticks.length - 1])
              random
                .slice(40, 80)
                .flatMap((p) => onEdges(p, snapshot))
                .forEach(add);
            check();
          }
          portfolios += accounts.size;
          exactDecisions += book.stats.exact;
        },
      ),
      { seed: 20261128, numRuns: RUNS },
    );
    expect(portfolios).toBeGreaterThanOrEqual(10_000);
    // The edge accounts cannot be decided in float64: the exact engine must have been asked.
    expect(exactDecisions).toBeGreaterThan(0);
    // Ticks move some prices only: the incremental path must have kept terms, not recomputed everything.
    expect(reusedTerms).toBeGreaterThan(1_000);
  });
});
