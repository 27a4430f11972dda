import { Decimal, dec } from '../../lib/decimal';

/** Simple hourly interest (spec 4): principal x hourlyRate x hours, accrued into `interest`, never compounded. */
export function interestFor(principal: Decimal, hourlyRate: Decimal, hours: number): Decimal {
  if (!Number.isFinite(hours) || hours < 0) throw new RangeError('hours must be a finite number >= 0');
  return dec(principal).times(hourlyRate).times(hours);
}

/**
 * Interest as it is booked: interestFor rounded UP to the asset's precision, so that it can be posted and is
 * never less than the formula. The real loan and the what-if loan both charge this.
 */
export function bookedInterest(
  principal: Decimal,
  hourlyRate: Decimal,
  hours: number,
  precision: number,
): Decimal {
  return interestFor(principal, hourlyRate, hours).toDecimalPlaces(precision, Decimal.ROUND_UP);
}
