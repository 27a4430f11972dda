import { Decimal, dec, decMin, WIRE_SCALE, ZERO } from '../../lib/decimal';
import { averageEntry, pnl } from './contracts';
import type { PositionInput, SymbolSpec } from './types';

export interface FillSpec {
  side: 'BUY' | 'SELL';
  /** UM: base quantity; CM: contracts. > 0. */
  quantity: Decimal;
  price: Decimal;
  /** In the settle asset; debited by the caller. */
  fee: Decimal;
}

export interface FillOutcome {
  /** null when the position is flat afterwards. */
  position: PositionInput | null;
  /** In the settle asset; 0 unless the fill reduces or flips the position. */
  realizedPnl: Decimal;
  fee: Decimal;
  /** |new| > |old| or the sign flips: what REDUCE_ONLY refuses (spec 4). */
  increasesExposure: boolean;
}

/**
 * One fill against a one-way net position (spec 1 and 4), the same for the what-if and the real fill:
 *   - same side (or flat): entry = averageEntry (UM quantity-weighted, CM harmonic), nothing realised;
 *   - other side: closed = min(fill, |held|) realises pnl(closed, entry, fill price),
 *     UM closed x (exit - entry),
 *     CM closed x face x (1/entry - 1/exit), signed by the held side; the rest of a larger fill opens the
 *     other side at the fill price (a flip); a partial close keeps the entry.
 * Leverage stays the position's, or the symbol's default for a new one.
 */
export function applyFill(current: PositionInput | null, spec: SymbolSpec, fill: FillSpec): FillOutcome {
  if (current !== null && current.symbol !== spec.symbol) {
    throw new RangeError(`a ${spec.symbol} fill cannot change the ${current.symbol} position`);
  }
  const quantity = dec(fill.quantity);
  const price = dec(fill.price);
  if (!quantity.gt(0)) throw new RangeError('fill quantity must be > 0');
  if (!price.gt(0)) throw new RangeError('fill price must be > 0');

  const held = current === null ? ZERO : dec(current.quantity);
  const heldEntry = current === null ? price : dec(current.entryPrice);
  const delta = fill.side === 'BUY' ? quantity : quantity.neg();
  const next = held.plus(delta);
  const opposite = !held.isZero() && held.isNeg() !== delta.isNeg();

  let realizedPnl = ZERO;
  let entryPrice: Decimal;
  if (!opposite) {
    entryPrice = held.isZero() ? price : averageEntry(spec, held, heldEntry, delta, price);
  } else {
    const closed = decMin(quantity, held.abs());
    realizedPnl = pnl(spec, held.isNeg() ? closed.neg() : closed, heldEntry, price);
    entryPrice = next.isZero() || next.isNeg() === held.isNeg() ? heldEntry : price;
  }

  const flipped = opposite && !next.isZero() && next.isNeg() !== held.isNeg();
  return {
    position: next.isZero()
      ? null
      : {
          symbol: spec.symbol,
          quantity: next,
          entryPrice,
          leverage: current?.leverage ?? spec.defaultLeverage,
        },
    realizedPnl,
    fee: dec(fill.fee),
    increasesExposure: flipped || next.abs().gt(held.abs()),
  };
}

/**
 * A fill as it is booked, the one used by the real fill and the what-if alike (spec 3: "a simulated fill
 * rounds realised PnL and entry price as a real fill does"): `applyFill`, then realised PnL rounded half-even
 * to the settle asset's precision and the entry price half-even to 18 decimals (the money column; a CM
 * harmonic mean rarely terminates).
 */
export function bookFill(
  current: PositionInput | null,
  spec: SymbolSpec,
  fill: FillSpec,
  settlePrecision: number,
): FillOutcome {
  const exact = applyFill(current, spec, fill);
  const position = exact.position && {
    ...exact.position,
    entryPrice: exact.position.entryPrice.toDecimalPlaces(WIRE_SCALE, Decimal.ROUND_HALF_EVEN),
  };
  const realizedPnl = exact.realizedPnl.toDecimalPlaces(settlePrecision, Decimal.ROUND_HALF_EVEN);
  return { ...exact, position, realizedPnl };
}
