import { Decimal, ZERO, dec, decMin } from '../../lib/decimal';

/**
 * Simple hourly interest by time owed (spec section 4). A loan is a list of segments, one per borrow: each
 * owes principal x hourlyRate for every hour started since its own start, the first hour at borrow time.
 * Instants are milliseconds since the epoch, given by the caller (the engine reads no clock).
 */
export const HOUR_MS = 3_600_000;

/** A loan segment: `principal` owed since `startedAt`, its first `chargedHours` hours already charged. */
export interface LoanSegment {
  principal: Decimal;
  startedAt: number;
  chargedHours: number;
}

/** Simple hourly interest: principal x hourlyRate x hours, accrued into `interest`, never compounded. */
export function interestFor(principal: Decimal, hourlyRate: Decimal, hours: number): Decimal {
  return dec(principal).times(hourlyRate).times(wholeHours(hours));
}

function wholeHours(hours: number): number {
  if (!Number.isInteger(hours) || hours < 0) throw new RangeError('hours must be an integer >= 0');
  return hours;
}

/**
 * Interest as it is booked: each hour's principal x hourlyRate rounded UP to the asset's precision, times
 * the hours. Rounding per hour, not per charge, makes the total independent of how many hours one charge
 * covers, i.e. of when accrual runs; it is never less than the formula.
 */
export function bookedInterest(
  principal: Decimal,
  hourlyRate: Decimal,
  hours: number,
  precision: number,
): Decimal {
  return interestFor(principal, hourlyRate, 1)
    .toDecimalPlaces(precision, Decimal.ROUND_UP)
    .times(wholeHours(hours));
}

/**
 * Hours of a segment started strictly before `at`, counted from the segment's start: an hour that starts
 * exactly at `at` belongs to the next charge. (Borrowed at 0:00: 1 at 0:30, 1 at 1:00, 2 at 1:59.)
 */
export function startedHours(startedAt: number, at: number): number {
  return at <= startedAt ? 0 : Math.ceil((at - startedAt) / HOUR_MS);
}

/** The hours a charge at `at` covers: those started before `at` and not yet charged. */
export function hoursDue(segment: LoanSegment, at: number): number {
  return Math.max(0, startedHours(segment.startedAt, at) - segment.chargedHours);
}

/** When the segment's next uncharged hour starts: a charge at any later instant covers it. */
export function nextChargeAt(segment: Pick<LoanSegment, 'startedAt' | 'chargedHours'>): number {
  return segment.startedAt + segment.chargedHours * HOUR_MS;
}

/**
 * A repay of `amount` principal: the most recent segments are reduced first, and what remains keeps its
 * segment's start and charged hours. `principals` are in start order, oldest first; the result is the new
 * principal of each, in the same order (zero where a segment is paid off). `amount` must not exceed their sum.
 */
export function reduceSegments(principals: Decimal[], amount: Decimal): Decimal[] {
  let left = amount;
  const result = [...principals];
  for (let i = result.length - 1; i >= 0 && left.gt(0); i--) {
    const paid = decMin(left, result[i]);
    result[i] = result[i].minus(paid);
    left = left.minus(paid);
  }
  if (left.gt(0)) throw new RangeError('repaid principal exceeds the loan');
  return result.map((p) => (p.isZero() ? ZERO : p));
}

/** What the segments owe at `at` beyond their charged hours, each hour booked as by `bookedInterest`. */
export function interestDue(
  segments: LoanSegment[],
  at: number,
  hourlyRate: Decimal,
  precision: number,
): Decimal {
  return segments.reduce(
    (sum, s) => sum.plus(bookedInterest(s.principal, hourlyRate, hoursDue(s, at), precision)),
    ZERO,
  );
}
