import type { Decimal } from '../../lib/decimal';

export interface MarginCallState {
  /** Whether to announce a margin call now. */
  fire: boolean;
  /** Whether the alert has fired and uniMMR has not recovered above the level since. */
  fired: boolean;
}

/**
 * The margin-call crossing rule: with uniMMR at or below the level an alert fires once (fired goes true);
 * it fires again only after uniMMR has been above the level (fired back to false). No level, or no
 * maintenance margin (uniMMR null, unbounded), never fires.
 */
export function marginCallCrossing(
  uniMMR: Decimal | null,
  level: Decimal | null,
  fired: boolean,
): MarginCallState {
  if (level === null) return { fire: false, fired: false };
  const below = uniMMR !== null && uniMMR.lte(level);
  return { fire: below && !fired, fired: below };
}
