import fc from 'fast-check';
import { Decimal, dec } from '../../../src/lib/decimal';
import {
  applyFill,
  computeRisk,
  RISK_STATUSES,
  liquidationPrices,
  liquidationThreshold,
  maxWithdraw,
  notional,
  pnl,
  statusFor,
  type BalanceInput,
  type FillSpec,
  type Portfolio,
  type PositionInput,
  type PriceBook,
  type RiskStatus,
} from '../../../src/services/margin';
import { expectLiquidationPrice, params, reference } from './fixtures';

const REF_INDEX = new Map(reference.assets.map((a) => [a.symbol, dec(a.indexPrice ?? '1')]));
const ASSETS = [...REF_INDEX.keys()];
const SYMBOLS = [...params.symbols.values()];
const refIndex = (asset: string) => REF_INDEX.get(asset) as Decimal;

/** A USD amount spread over 1 cent .. ~40M, so that haircut tiers and brackets are crossed now and then. */
const usd = fc
  .tuple(fc.integer({ min: 1, max: 99_999 }), fc.integer({ min: -2, max: 3 }))
  .map(([m, e]) => dec(m).times(dec(10).pow(e)));
const factor = (lo: number, hi: number) =>
  fc.integer({ min: lo * 10_000, max: hi * 10_000 }).map((n) => dec(n).div(10_000));

const balanceArb = (asset: string) =>
  fc
    .record({
      free: usd,
      negative: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      /** Share of free that is a loan's proceeds, in %. */
      borrowed: fc.option(fc.integer({ min: 1, max: 95 }), { nil: undefined }),
      interest: fc.integer({ min: 0, max: 1000 }).map((n) => dec(n).div(1_000_000)),
      locked: fc.option(usd, { nil: undefined }),
    })
    .map(({ free, negative, borrowed, interest, locked }): BalanceInput => {
      const units = (v: Decimal) => v.div(refIndex(asset)).toDecimalPlaces(8);
      const f = negative ? units(free).neg().div(5).toDecimalPlaces(8) : units(free);
      const b = borrowed === undefined || negative ? dec(0) : f.times(borrowed).div(100).toDecimalPlaces(8);
      return {
        asset,
        free: f,
        locked: locked === undefined ? dec(0) : units(locked).div(10).toDecimalPlaces(8),
        borrowed: b,
        interest: b.times(interest).toDecimalPlaces(8),
      };
    });

const positionArb = (symbol: string) =>
  fc
    .record({
      size: usd,
      short: fc.boolean(),
      entry: factor(0.85, 1.15),
      leverage: fc.integer({ min: 1, max: 20 }),
    })
    .map(({ size, short, entry, leverage }): PositionInput => {
      const spec = params.symbols.get(symbol);
      if (!spec) throw new Error(symbol);
      const price = refIndex(spec.base);
      const magnitude =
        spec.contractType === 'UM'
          ? size.div(8).div(price).toDecimalPlaces(3)
          : size
              .div(8)
              .div(spec.faceValueUsd as Decimal)
              .toDecimalPlaces(0);
      return {
        symbol,
        quantity: short ? magnitude.neg() : magnitude,
        entryPrice: price.times(entry).toDecimalPlaces(2),
        leverage,
      };
    });

const portfolioArb: fc.Arbitrary<Portfolio> = fc
  .record({
    assets: fc.subarray(ASSETS, { minLength: 1, maxLength: 4 }),
    symbols: fc.subarray(
      SYMBOLS.map((s) => s.symbol),
      { maxLength: 4 },
    ),
  })
  .chain(({ assets, symbols }) =>
    fc.record({
      balances: fc.tuple(...assets.map(balanceArb)),
      positions: fc.tuple(...symbols.map(positionArb)),
    }),
  );

const pricesArb: fc.Arbitrary<PriceBook> = fc
  .record({
    index: fc.tuple(
      ...ASSETS.map((a) =>
        a === 'USDT' ? fc.constant(dec(1)) : factor(0.6, 1.4).map((f) => refIndex(a).times(f)),
      ),
    ),
    basis: fc.tuple(...SYMBOLS.map(() => factor(-0.02, 0.02))),
  })
  .map(({ index, basis }) => {
    const indexMap = new Map(ASSETS.map((a, i) => [a, index[i].toDecimalPlaces(6)]));
    const mark = new Map(
      SYMBOLS.map((s, i) => [
        s.symbol,
        (indexMap.get(s.base) as Decimal).times(dec(1).plus(basis[i])).toDecimalPlaces(6),
      ]),
    );
    return { index: indexMap, mark };
  });

const withFree = (portfolio: Portfolio, asset: string, change: Decimal): Portfolio => {
  const has = portfolio.balances.some((b) => b.asset === asset);
  const zero = dec(0);
  const balances = has
    ? portfolio.balances.map((b) => (b.asset === asset ? { ...b, free: b.free.plus(change) } : b))
    : [...portfolio.balances, { asset, free: change, locked: zero, borrowed: zero, interest: zero }];
  return { ...portfolio, balances };
};

/** Spec 3's table read literally, dividing: an independent formulation of statusFor. */
const statusByTable = (uniMMR: Decimal | null): RiskStatus => {
  if (uniMMR === null || uniMMR.gt('1.5')) return 'NORMAL';
  if (uniMMR.gt('1.3')) return 'MARGIN_CALL';
  if (uniMMR.gt('1.2')) return 'SUPPLY_MARGIN';
  if (uniMMR.gt('1.05')) return 'REDUCE_ONLY';
  if (uniMMR.gt('1.0')) return 'FORCE_LIQUIDATION';
  return 'BANKRUPTED';
};

const RUNS = { numRuns: 150 };

describe('risk properties over random portfolios', () => {
  it('status always matches the bands of spec 3', () => {
    fc.assert(
      fc.property(portfolioArb, pricesArb, (portfolio, prices) => {
        const risk = computeRisk(portfolio, prices, params);
        expect(risk.status).toBe(statusByTable(risk.uniMMR));
      }),
      RUNS,
    );
  });

  it('statusFor matches the table right at and around every threshold', () => {
    const near = fc
      .record({
        threshold: fc.constantFrom('1.5', '1.3', '1.2', '1.05', '1.0'),
        offset: fc.constantFrom(0, 1, -1),
        digits: fc.integer({ min: 1, max: 60 }),
        mm: fc.integer({ min: 1, max: 10 ** 9 }).map((n) => dec(n).div(1000)),
      })
      .map(({ threshold, offset, digits, mm }) => ({
        mm,
        uniMMR: dec(threshold).plus(dec(offset).times(dec(10).pow(-digits))),
      }));
    fc.assert(
      fc.property(near, ({ mm, uniMMR }) => {
        expect(statusFor(mm.times(uniMMR), mm, params.bands)).toBe(statusByTable(uniMMR));
      }),
      { numRuns: 300 },
    );
  });

  it('accountEquity <= actualEquity (haircuts only take away; with every equity positive and always)', () => {
    fc.assert(
      fc.property(portfolioArb, pricesArb, (portfolio, prices) => {
        const risk = computeRisk(portfolio, prices, params);
        expect(risk.accountEquity.lte(risk.actualEquity)).toBe(true);
        for (const a of risk.assets) expect(a.collateralValueUsd.lte(a.valueUsd)).toBe(true);
      }),
      RUNS,
    );
  });

  // Not "never lowers uniMMR": a deposit into a negative balance lowers its margin too, and with negative equity a
  // smaller MM makes E / MM more negative. What must hold is every band test, E > T x MM for each T >= 0.
  it('more collateral never lowers accountEquity, never raises MM and never worsens the status', () => {
    fc.assert(
      fc.property(
        portfolioArb,
        pricesArb,
        fc.constantFrom(...ASSETS),
        usd,
        (portfolio, prices, asset, value) => {
          const before = computeRisk(portfolio, prices, params);
          const amount = value.div(refIndex(asset)).toDecimalPlaces(8).plus('1e-8');
          const after = computeRisk(withFree(portfolio, asset, amount), prices, params);
          expect(after.accountEquity.gte(before.accountEquity)).toBe(true);
          expect(after.accountMaintMargin.lte(before.accountMaintMargin)).toBe(true);
          expect(RISK_STATUSES.indexOf(after.status)).toBeLessThanOrEqual(
            RISK_STATUSES.indexOf(before.status),
          );
          if (before.uniMMR !== null && before.accountEquity.gt(0))
            expect(after.uniMMR === null || after.uniMMR.gte(before.uniMMR)).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it('maxWithdraw keeps uniMMR > 1.2 and one more unit would break it (unless capped by free)', () => {
    fc.assert(
      fc.property(portfolioArb, pricesArb, fc.nat(), (portfolio, prices, pick) => {
        const asset = portfolio.balances[pick % portfolio.balances.length].asset;
        const risk = computeRisk(portfolio, prices, params);
        const x = maxWithdraw(portfolio, prices, params, asset);
        const free = portfolio.balances.find((b) => b.asset === asset)?.free ?? dec(0);
        const cap = Decimal.max(free, 0).toDecimalPlaces(8, Decimal.ROUND_FLOOR);
        expect(x.gte(0) && x.lte(cap)).toBe(true);
        if (['REDUCE_ONLY', 'FORCE_LIQUIDATION', 'BANKRUPTED'].includes(risk.status)) {
          expect(x.isZero()).toBe(true);
          return;
        }
        const keeps = (amount: Decimal) => {
          const r = computeRisk(withFree(portfolio, asset, amount.neg()), prices, params);
          return r.accountMaintMargin.isZero() || r.accountEquity.gt(r.accountMaintMargin.times('1.2'));
        };
        expect(keeps(x)).toBe(true);
        if (x.lt(cap)) expect(keeps(x.plus('1e-8'))).toBe(false);
      }),
      RUNS,
    );
  });

  it('at every liquidation price uniMMR is 1.05 within 1e-8, and no nearer factor reaches it', () => {
    const threshold = liquidationThreshold(params.bands);
    fc.assert(
      fc.property(portfolioArb, pricesArb, (portfolio, prices) => {
        for (const l of liquidationPrices(portfolio, prices, params)) {
          expect(l.currentPrice.eq(prices.index.get(l.asset) as Decimal)).toBe(true);
          expectLiquidationPrice(portfolio, prices, params, l.asset, l.liquidationPrice, threshold, 12);
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('fill properties', () => {
  const fillArb = fc.record({
    buy: fc.boolean(),
    quantity: fc.integer({ min: 1, max: 5000 }).map((n) => dec(n).div(100)),
    price: fc.integer({ min: 5_000, max: 200_000 }),
  });

  it.each(['BTCUSDT', 'BTCUSD_PERP'])(
    '%s: realised + unrealised PnL equals the cash-flow PnL of the fills',
    (symbol) => {
      const spec = params.symbols.get(symbol);
      if (!spec) throw new Error(symbol);
      fc.assert(
        fc.property(
          fc.array(fillArb, { minLength: 1, maxLength: 12 }),
          fc.integer({ min: 5_000, max: 200_000 }),
          (fills, markInt) => {
            const mark = dec(markInt);
            let position: PositionInput | null = null;
            let realised = dec(0);
            let flow = dec(0);
            for (const f of fills) {
              const fill: FillSpec = {
                side: f.buy ? 'BUY' : 'SELL',
                quantity: f.quantity,
                price: dec(f.price),
                fee: dec(0),
              };
              const outcome = applyFill(position, spec, fill);
              const delta = f.buy ? f.quantity : f.quantity.neg();
              // UM cash in quote: -delta x price; CM coin paid for contracts: delta x face / price
              flow = flow.plus(
                spec.contractType === 'UM'
                  ? delta.times(fill.price).neg()
                  : notional(spec, delta, fill.price).times(delta.isNeg() ? -1 : 1),
              );
              realised = realised.plus(outcome.realizedPnl);
              position = outcome.position;
            }
            const open = position?.quantity ?? dec(0);
            const unrealised =
              position === null ? dec(0) : pnl(spec, position.quantity, position.entryPrice, mark);
            const closing =
              spec.contractType === 'UM'
                ? open.times(mark)
                : notional(spec, open, mark)
                    .times(open.isNeg() ? -1 : 1)
                    .neg();
            const expected = flow.plus(closing);
            expect(realised.plus(unrealised).minus(expected).abs().lte(dec('1e-50'))).toBe(true);
          },
        ),
        { numRuns: 200 },
      );
    },
  );
});
