import { dec, type Decimal } from '../../lib/decimal';
import type { SymbolSpec } from './types';

/**
 * Contract arithmetic of spec 1, the one place that knows linear (UM) from inverse (CM) contracts.
 * Quantities are signed (long > 0): UM in the base asset, CM in contracts of `faceValueUsd`.
 */

/** Unsigned notional in the margin asset: UM |qty x price| (quote); CM |contracts| x face / price (coin). */
export function notional(spec: SymbolSpec, quantity: Decimal, price: Decimal): Decimal {
  return spec.contractType === 'UM'
    ? dec(quantity).times(price).abs()
    : dec(quantity).abs().times(faceValue(spec)).div(price);
}

/**
 * PnL in the settle asset of `quantity` opened at `entry` and valued at `exit`:
 * UM qty x (exit - entry); CM contracts x face x (1/entry - 1/exit). A short has quantity < 0.
 */
export function pnl(spec: SymbolSpec, quantity: Decimal, entry: Decimal, exit: Decimal): Decimal {
  if (spec.contractType === 'UM') return dec(quantity).times(dec(exit).minus(entry));
  const face = faceValue(spec);
  return dec(quantity)
    .times(face)
    .times(dec(1).div(entry).minus(dec(1).div(exit)));
}

/**
 * Entry price after adding `added` (same side as `held`) at `price`:
 * UM the quantity-weighted mean (|h| x e + |a| x p) / (|h| + |a|);
 * CM the harmonic mean (|h| + |a|) / (|h| / e + |a| / p), as Binance does for inverse contracts.
 */
export function averageEntry(
  spec: SymbolSpec,
  held: Decimal,
  heldEntry: Decimal,
  added: Decimal,
  price: Decimal,
): Decimal {
  const h = dec(held).abs();
  const a = dec(added).abs();
  if (spec.contractType === 'UM') return h.times(heldEntry).plus(a.times(price)).div(h.plus(a));
  return h.plus(a).div(h.div(heldEntry).plus(a.div(price)));
}

function faceValue(spec: SymbolSpec): Decimal {
  if (spec.faceValueUsd === null) throw new Error(`CM symbol ${spec.symbol} has no face value`);
  return spec.faceValueUsd;
}
