import { badInput } from '../errors';

/** Row ids are BIGINT (signed, 64-bit) auto-increments: 1 .. 2^63-1. */
const MAX_ROW_ID = 9223372036854775807n;
const CANONICAL = /^[1-9]\d{0,18}$/;

/**
 * True for the one spelling of a row id (accounts, API keys): digits only, no sign, space, exponent or
 * leading zero, within the column's range. "6abc", " 6", "06" and "6e0" are not account 6: a lenient
 * parse would act on account 6 while events and checks name another string.
 */
export function isRowId(raw: unknown): raw is string {
  return typeof raw === 'string' && CANONICAL.test(raw) && BigInt(raw) <= MAX_ROW_ID;
}

/** The row id, or BAD_USER_INPUT naming the field. */
export function parseRowId(raw: unknown, field: string): string {
  if (!isRowId(raw)) throw badInput(`${field} must be a row id: digits without sign or leading zeros`, field);
  return raw;
}
