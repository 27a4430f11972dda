import { dec, ONE, ZERO, type Decimal } from '../../lib/decimal';
import { InsufficientBalanceError, InvalidScenarioError, UnknownSymbolError } from './errors';
import { bookFill, type FillSpec } from './fill';
import { bookedInterest } from './interest';
import { assetSpecOf, indexPriceOf, markPriceOf, symbolSpecOf } from './lookup';
import { mergeBalances } from './merge';
import { byCodeUnits } from './order';
import type { Portfolio, PositionInput, PriceBook, RiskParams } from './types';

export interface PriceMove {
  /** An asset (moves its index price) or a futures symbol (moves its mark price). */
  symbol: string;
  /** Relative: -0.1 is -10%. Exactly one of change and price. */
  change?: Decimal;
  price?: Decimal;
}

export interface Scenario {
  /** An index move does not move any mark: a scenario moves exactly what it names. */
  prices?: PriceMove[];
  /** Into (IN) or out of (OUT) the PM wallet's free balance; OUT never below 0 (spec 4). */
  transfers?: { asset: string; amount: Decimal; direction: 'IN' | 'OUT' }[];
  /** free += amount, borrowed += amount, interest += the first hour's (spec 4). */
  borrows?: { asset: string; amount: Decimal }[];
  /** bookFill (rounded as the real fill books); realised PnL minus the fee goes to the settle asset's free balance. */
  fills?: { symbol: string; fill: FillSpec }[];
}

/**
 * What-if (spec 6): the inputs after the scenario, in the order prices, transfers, borrows, fills, each list
 * in its order. Nothing is checked beyond what makes the scenario possible (REDUCE_ONLY, margin and borrow
 * limits are the caller's to show, from the risk of the result). The given inputs are not modified.
 */
export function applyScenario(
  portfolio: Portfolio,
  prices: PriceBook,
  params: RiskParams,
  scenario: Scenario,
): { portfolio: Portfolio; prices: PriceBook } {
  const moved = movePrices(prices, params, scenario.prices ?? []);

  const balances = new Map(mergeBalances(portfolio.balances).map((b) => [b.asset, b]));
  const credit = (
    asset: string,
    change: Partial<Record<'free' | 'borrowed' | 'interest', Decimal>>,
  ): void => {
    const b = balances.get(asset) ?? { asset, free: ZERO, locked: ZERO, borrowed: ZERO, interest: ZERO };
    balances.set(asset, {
      ...b,
      free: b.free.plus(change.free ?? ZERO),
      borrowed: b.borrowed.plus(change.borrowed ?? ZERO),
      interest: b.interest.plus(change.interest ?? ZERO),
    });
  };

  for (const t of scenario.transfers ?? []) {
    assetSpecOf(params, t.asset);
    const amount = positiveAmount(t.amount, `transfer of ${t.asset}`);
    if (t.direction === 'OUT' && amount.gt(balances.get(t.asset)?.free ?? ZERO)) {
      throw new InsufficientBalanceError(t.asset);
    }
    credit(t.asset, { free: t.direction === 'IN' ? amount : amount.neg() });
  }

  for (const loan of scenario.borrows ?? []) {
    const spec = assetSpecOf(params, loan.asset);
    const amount = positiveAmount(loan.amount, `loan of ${loan.asset}`);
    credit(loan.asset, {
      free: amount,
      borrowed: amount,
      interest: bookedInterest(amount, spec.hourlyInterestRate, 1, spec.precision),
    });
  }

  const positions = new Map<string, PositionInput>(portfolio.positions.map((p) => [p.symbol, p]));
  for (const { symbol, fill } of scenario.fills ?? []) {
    const spec = symbolSpecOf(params, symbol);
    const settlePrecision = assetSpecOf(params, spec.settle).precision;
    const outcome = bookFill(positions.get(symbol) ?? null, spec, fill, settlePrecision);
    if (outcome.position === null) positions.delete(symbol);
    else positions.set(symbol, outcome.position);
    credit(spec.settle, { free: outcome.realizedPnl.minus(outcome.fee) });
  }

  return {
    portfolio: {
      balances: mergeBalances([...balances.values()]),
      positions: [...positions.values()].sort((x, y) => byCodeUnits(x.symbol, y.symbol)),
    },
    prices: moved,
  };
}

/** new = old x (1 + change), or the given price; the result must stay a usable (positive) price. */
function movePrices(prices: PriceBook, params: RiskParams, moves: PriceMove[]): PriceBook {
  const index = new Map(prices.index);
  const mark = new Map(prices.mark);
  for (const move of moves) {
    const isAsset = params.assets.has(move.symbol);
    if (!isAsset && !params.symbols.has(move.symbol)) throw new UnknownSymbolError(move.symbol);
    if ((move.change === undefined) === (move.price === undefined)) {
      throw new InvalidScenarioError(`price move of ${move.symbol}: give exactly one of change and price`);
    }
    const book = isAsset ? index : mark;
    const next =
      move.price !== undefined
        ? dec(move.price)
        : (isAsset ? indexPriceOf : markPriceOf)({ index, mark }, move.symbol).times(
            ONE.plus(move.change ?? ZERO),
          );
    if (!next.gt(0)) throw new InvalidScenarioError(`price move of ${move.symbol}: the price must stay > 0`);
    book.set(move.symbol, next);
  }
  return { index, mark };
}

function positiveAmount(amount: Decimal, what: string): Decimal {
  const d = dec(amount);
  if (!d.gt(0)) throw new InvalidScenarioError(`${what}: the amount must be > 0`);
  return d;
}
