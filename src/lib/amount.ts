import { badInput } from '../errors';
import { dec, MAX_AMOUNT, type Decimal } from './decimal';
import { MONEY_SCALE } from '../entities/columns';

/** Plain decimal notation: no sign, exponent, whitespace or leading zeros. */
const UNSIGNED = /^(?:0|[1-9]\d*)(?:\.\d+)?$/;
const MAX_LENGTH = 60;

function parseUnsigned(raw: string, field: string): Decimal {
  if (typeof raw !== 'string' || raw.length > MAX_LENGTH || !UNSIGNED.test(raw)) {
    throw badInput(`${field} must be a decimal string such as "12.5"`, field);
  }
  return dec(raw);
}

/**
 * Spec section 4: an amount is a decimal string, > 0, with at most the asset's precision in decimals and
 * at most 10^15; anything else is BAD_USER_INPUT.
 */
export function parseAmount(raw: string, precision: number, field = 'amount'): Decimal {
  const value = parseUnsigned(raw, field);
  if (value.isZero()) throw badInput(`${field} must be greater than 0`, field);
  if (value.gt(MAX_AMOUNT)) throw badInput(`${field} must be at most 10^15`, field);
  if (value.decimalPlaces() > precision)
    throw badInput(`${field} has more than ${precision} decimals`, field);
  return value;
}

/** A price or fee: like an amount, with up to 18 decimals; a fee may be 0. */
export function parsePrice(raw: string, field = 'price', allowZero = false): Decimal {
  const value = parseUnsigned(raw, field);
  if (value.isZero() && !allowZero) throw badInput(`${field} must be greater than 0`, field);
  if (value.gt(MAX_AMOUNT)) throw badInput(`${field} must be at most 10^15`, field);
  if (value.decimalPlaces() > MONEY_SCALE)
    throw badInput(`${field} has more than ${MONEY_SCALE} decimals`, field);
  return value;
}

function parseSigned(raw: string, field: string): Decimal {
  const negative = typeof raw === 'string' && raw.startsWith('-');
  const value = parseUnsigned(negative ? raw.slice(1) : raw, field);
  return negative ? value.neg() : value;
}

/** A relative change for what-if scenarios: "-0.1" is -10%; must stay above -1. */
export function parseRelativeChange(raw: string, field = 'change'): Decimal {
  const change = parseSigned(raw, field);
  if (change.lte(-1)) throw badInput(`${field} must be greater than -1 (a price stays positive)`, field);
  if (change.gt(MAX_AMOUNT) || change.decimalPlaces() > MONEY_SCALE)
    throw badInput(`${field} is out of range`, field);
  return change;
}

/**
 * A catalogue parameter (rate, threshold, tier edge): a plain decimal, sign allowed, at most 18 decimals and
 * 10^15; whether it is in range is for the parameter invariants to say, by name.
 */
export function parseParameter(raw: string, field: string): Decimal {
  const value = parseSigned(raw, field);
  if (value.abs().gt(MAX_AMOUNT) || value.decimalPlaces() > MONEY_SCALE)
    throw badInput(`${field} is out of range (at most 18 decimals and 10^15)`, field);
  return value;
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,64}$/;

export function parseIdempotencyKey(raw: string, field = 'idempotencyKey'): string {
  if (typeof raw !== 'string' || !IDEMPOTENCY_KEY.test(raw)) {
    throw badInput(`${field} must be 1-64 characters of [A-Za-z0-9_.:-]`, field);
  }
  return raw;
}
