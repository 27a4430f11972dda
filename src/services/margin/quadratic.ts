import type { Decimal } from '../../lib/decimal';

/** g(center + u) = a + b u + c u^2. */
export interface Quadratic {
  center: Decimal;
  a: Decimal;
  b: Decimal;
  c: Decimal;
}

/**
 * The quadratic through (center - step, below), (center, at), (center + step, above), in the local variable
 * u = r - center so that a narrow interval far from 0 keeps its digits:
 *
 *   a = at,   b = (above - below) / (2 step),   c = (above + below - 2 at) / (2 step^2)
 */
export function quadraticThrough(
  center: Decimal,
  step: Decimal,
  below: Decimal,
  at: Decimal,
  above: Decimal,
): Quadratic {
  return {
    center,
    a: at,
    b: above.minus(below).div(step.times(2)),
    c: above.plus(below).minus(at.times(2)).div(step.times(step).times(2)),
  };
}

export function valueAt(q: Quadratic, r: Decimal): Decimal {
  const u = r.minus(q.center);
  return q.a.plus(q.b.times(u)).plus(q.c.times(u).times(u));
}

/**
 * The real r with g(r) = level, ascending; none when g is constant. Uses the cancellation-free pair
 * u1 = s / c, u2 = (a - level) / s with s = -(b + sign(b) sqrt(b^2 - 4 c (a - level))) / 2, which stays exact
 * when c is zero or only rounding noise (u1 then lies far away and u2 is the linear root).
 */
export function solveQuadratic(q: Quadratic, level: Decimal): Decimal[] {
  const a = q.a.minus(level);
  if (q.c.isZero()) return q.b.isZero() ? [] : [q.center.minus(a.div(q.b))];
  const discriminant = q.b.times(q.b).minus(q.c.times(a).times(4));
  if (discriminant.isNeg()) return [];
  const root = discriminant.sqrt();
  const s = (q.b.isNeg() ? root.minus(q.b) : q.b.plus(root).neg()).div(2);
  if (s.isZero()) return [q.center];
  const us = [s.div(q.c), a.div(s)].sort((x, y) => x.cmp(y));
  return us.map((u) => q.center.plus(u));
}
