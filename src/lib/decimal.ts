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

export function dec(value: DecimalLike): Decimal {
  // Clones share one prototype; an instance computes with the precision of its own constructor.
  if (value instanceof DecimalJs) return value.constructor === Decimal ? value : new Decimal(value.toFixed());
  return new Decimal(typeof value === 'bigint' ? value.toString() : value);
}

/** Plain notation, no trailing zeros: `"120.5"`, `"0.00000001"`, `"0"`. */
export function formatDecimal(value: Decimal): string {
  return value.isZero() ? '0' : value.toFixed();
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
