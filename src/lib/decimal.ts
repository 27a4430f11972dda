import DecimalJs from 'decimal.js';

/**
 * The one Decimal constructor for money and rates. decimal.js' default of 20 significant digits silently
 * rounds a DECIMAL(36,18) value, so every operation here keeps 80; exponent notation is off so that
 * `toString()` never prints `1e-8`. Use `dec()` to make values, `formatDecimal()` to print them.
 */
export const Decimal = DecimalJs.clone({
  precision: 80,
  rounding: DecimalJs.ROUND_HALF_EVEN,
  toExpNeg: -90,
  toExpPos: 90,
});
export type Decimal = DecimalJs;

export type DecimalLike = Decimal | string | number | bigint;

export const ZERO: Decimal = new Decimal(0);
export const ONE: Decimal = new Decimal(1);
/** The largest amount an input accepts (spec 4, input limits): 10^15. */
export const MAX_AMOUNT: Decimal = new Decimal('1e15');

export function dec(value: DecimalLike): Decimal {
  // Clones share one prototype; an instance computes with the precision of its own constructor.
  if (value instanceof DecimalJs) return value.constructor === Decimal ? value : new Decimal(value.toFixed());
  return new Decimal(typeof value === 'bigint' ? value.toString() : value);
}

/** Decimal places of every number on the wire (spec 3, "Numbers on the wire") and of every money column. */
export const WIRE_SCALE = 18;

/** A value as the wire shows it: at most 18 decimals, rounded half-even there; shorter values unchanged. */
export function toWire(value: Decimal): Decimal {
  return value.decimalPlaces() > WIRE_SCALE
    ? value.toDecimalPlaces(WIRE_SCALE, Decimal.ROUND_HALF_EVEN)
    : value;
}

/**
 * The one printer of numbers for the wire, stored answers and messages: `toWire`, then plain notation without
 * trailing zeros: `"120.5"`, `"0.00000001"`, `"0"` (never `"-0"`).
 */
export function formatDecimal(value: Decimal): string {
  const wire = toWire(dec(value));
  return wire.isZero() ? '0' : wire.toFixed();
}

/**
 * a + b for sums whose terms are mostly zero (no loan, no lock, no position in an asset): a zero term returns
 * the other side (x + 0 = x exactly) and spares decimal.js its copy of the operand and a rounded result.
 */
export function decPlus(a: Decimal, b: Decimal): Decimal {
  if (b.isZero()) return dec(a);
  if (a.isZero()) return dec(b);
  return dec(a).plus(b);
}

/** a - b, sparing the work when b is zero, as `decPlus`. */
export function decMinus(a: Decimal, b: Decimal): Decimal {
  return b.isZero() ? dec(a) : dec(a).minus(b);
}

export function decMax(a: Decimal, b: Decimal): Decimal {
  return a.gte(b) ? a : b;
}

export function decMin(a: Decimal, b: Decimal): Decimal {
  return a.lte(b) ? a : b;
}

export function decSum(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}
