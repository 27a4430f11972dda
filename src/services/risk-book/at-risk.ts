import type { RiskSnapshot } from '../risk-push/risk-push.service';
import type { LiveRiskBook } from './live-book';

/** The most atRiskAccounts returns at once. */
export const AT_RISK_MAX = 100;

/**
 * The Portfolio Margin accounts nearest to liquidation: ranked by the book's float uniMMR (lowest first,
 * accounts without maintenance margin left out), each then shown with the exact engine's risk on the book's
 * inputs and newest prices.
 */
export class AtRiskAccounts {
  constructor(private readonly book: LiveRiskBook) {}

  lowest(first: number, at: Date = new Date()): RiskSnapshot[] {
    const book = this.book.book;
    return book.lowest(first).flatMap(({ accountId }) => {
      const exact = book.exact(accountId);
      return exact
        ? [{ accountId, result: exact.result, portfolio: exact.portfolio, book: exact.prices, at }]
        : [];
    });
  }
}
