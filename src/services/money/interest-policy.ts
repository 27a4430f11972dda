export const HOUR_MS = 3_600_000;

/** Whole hours from `chargedUntil` to `now`: what a charge at `now` covers. */
export function wholeHoursDue(chargedUntil: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - chargedUntil.getTime()) / HOUR_MS));
}
