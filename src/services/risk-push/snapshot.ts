import type { Portfolio, PriceBook, RiskResult } from '../margin';

/** One computed risk of a watched account, with the inputs it came from (for maxWithdraw on it). */
export interface RiskSnapshot {
  accountId: string;
  result: RiskResult;
  portfolio: Portfolio;
  book: PriceBook;
  at: Date;
}

/**
 * A decision's risk, computed by the exact engine when first read and then kept: one computation per account
 * and decision however many subscribers read it, and none for a decision that a newer one replaced in every
 * subscriber's slot before it was sent (a busy server skips the stale work, not just the stale send).
 */
export class LazySnapshot implements RiskSnapshot {
  readonly at = new Date();
  private computed: RiskResult | null = null;

  constructor(
    readonly accountId: string,
    readonly portfolio: Portfolio,
    readonly book: PriceBook,
    private readonly compute: (portfolio: Portfolio, book: PriceBook) => RiskResult,
  ) {}

  get result(): RiskResult {
    return (this.computed ??= this.compute(this.portfolio, this.book));
  }
}

/** Whether a subscriber that saw `a` would see nothing new in `b` (then nothing is sent). */
export function sameRisk(a: RiskSnapshot, b: RiskSnapshot): boolean {
  if (a === b) return true;
  const x = a.result;
  const y = b.result;
  if (
    x.status !== y.status ||
    !x.accountEquity.eq(y.accountEquity) ||
    !x.actualEquity.eq(y.actualEquity) ||
    !x.accountMaintMargin.eq(y.accountMaintMargin) ||
    !x.accountInitialMargin.eq(y.accountInitialMargin) ||
    x.assets.length !== y.assets.length
  )
    return false;
  return x.assets.every(
    (p, i) =>
      p.asset === y.assets[i].asset && p.equity.eq(y.assets[i].equity) && p.valueUsd.eq(y.assets[i].valueUsd),
  );
}
