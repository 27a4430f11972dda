import { dec } from '../../../src/lib/decimal';
import {
  bookedInterest,
  HOUR_MS,
  hoursDue,
  interestDue,
  nextChargeAt,
  reduceSegments,
  startedHours,
} from '../../../src/services/margin';

const t0 = Date.UTC(2030, 0, 1);
const MIN = 60_000;

describe('startedHours', () => {
  it('counts hours begun strictly before the instant, from the segment start', () => {
    expect(startedHours(t0, t0)).toBe(0);
    expect(startedHours(t0, t0 + 1)).toBe(1);
    expect(startedHours(t0, t0 + 30 * MIN)).toBe(1);
    // The hour starting exactly at 1:00 belongs to the next charge.
    expect(startedHours(t0, t0 + HOUR_MS)).toBe(1);
    expect(startedHours(t0, t0 + HOUR_MS + 1)).toBe(2);
    expect(startedHours(t0, t0 + 119 * MIN)).toBe(2);
    expect(startedHours(t0, t0 - HOUR_MS)).toBe(0);
  });
});

describe('hoursDue and nextChargeAt', () => {
  const segment = { principal: dec(1000), startedAt: t0 + 30 * MIN, chargedHours: 1 };
  it('owes the started hours beyond those charged', () => {
    expect(hoursDue(segment, t0 + HOUR_MS)).toBe(0);
    expect(hoursDue(segment, t0 + 90 * MIN)).toBe(0);
    expect(hoursDue(segment, t0 + 90 * MIN + 1)).toBe(1);
    expect(hoursDue(segment, t0 + 2 * HOUR_MS)).toBe(1);
    expect(hoursDue({ ...segment, chargedHours: 5 }, t0 + 2 * HOUR_MS)).toBe(0);
    expect(nextChargeAt(segment)).toBe(t0 + 90 * MIN);
  });
});

describe('bookedInterest', () => {
  it('rounds each hour up to the precision, then multiplies: batching never changes the total', () => {
    // 1234.56789 x 0.0000045 = 0.005555555505 -> 0.00555556 per hour.
    expect(bookedInterest(dec('1234.56789'), dec('0.0000045'), 1, 8).toFixed()).toBe('0.00555556');
    expect(bookedInterest(dec('1234.56789'), dec('0.0000045'), 3, 8).toFixed()).toBe('0.01666668');
    expect(bookedInterest(dec(1000), dec('0.0000045'), 0, 8).isZero()).toBe(true);
    expect(() => bookedInterest(dec(1), dec(1), 1.5, 8)).toThrow(RangeError);
  });

  it('interestDue sums the segments, worked example 1 at 2:00 after the borrow-time hours', () => {
    const r = dec('0.0000045');
    const segments = [
      { principal: dec(1000), startedAt: t0, chargedHours: 1 },
      { principal: dec(1_000_000), startedAt: t0 + 30 * MIN, chargedHours: 1 },
    ];
    // Hours 1:00 of the first and 1:30 of the second: 0.0045 + 4.5.
    expect(interestDue(segments, t0 + 2 * HOUR_MS, r, 8).toFixed()).toBe('4.5045');
    expect(interestDue(segments, t0 + HOUR_MS, r, 8).toFixed()).toBe('0');
  });
});

describe('reduceSegments', () => {
  it('reduces the newest segments first', () => {
    const after = reduceSegments([dec(1000), dec(3000), dec(500)], dec(3700));
    expect(after.map((p) => p.toFixed())).toEqual(['800', '0', '0']);
    expect(reduceSegments([dec(1000)], dec(0)).map((p) => p.toFixed())).toEqual(['1000']);
    expect(() => reduceSegments([dec(1)], dec(2))).toThrow(RangeError);
  });
});
