import type { RiskStatusEvent } from '../../pubsub/events';
import { dec } from '../../lib/decimal';
import type { Portfolio, PriceBook } from '../margin/types';
import type { RiskDecision } from './book';
import { decodePortfolio, encodePortfolio } from './codec';

/** A transition's `from` when the account had no status yet (a first decision): every account starts NORMAL. */
export const INITIAL_STATUS = 'NORMAL';

/**
 * The prices the account's risk needs: every index price (a liquidation price may scale any asset the account
 * holds or any position's base) and the marks of the account's own symbols.
 */
function pricesOf(portfolio: Portfolio, book: PriceBook): Pick<RiskStatusEvent, 'index' | 'mark'> {
  const index = [...book.index].map(([symbol, price]): [string, string] => [symbol, price.toFixed()]);
  const mark: [string, string][] = [];
  for (const { symbol } of portfolio.positions) {
    const price = book.mark.get(symbol);
    if (price) mark.push([symbol, price.toFixed()]);
  }
  return { index, mark };
}

export function statusEvent(decision: RiskDecision, at: Date): RiskStatusEvent {
  const portfolio = decision.portfolio();
  return {
    accountId: decision.accountId,
    from: decision.previous ?? INITIAL_STATUS,
    to: decision.status,
    version: decision.version,
    priceVersion: decision.priceVersion,
    at: at.toISOString(),
    portfolio: encodePortfolio(portfolio),
    ...pricesOf(portfolio, decision.prices),
  };
}

/** The exact inputs of a transition, back from the wire. */
export function statusInputs(event: RiskStatusEvent): { portfolio: Portfolio; book: PriceBook } {
  const prices = (pairs: [string, string][]) => new Map(pairs.map(([s, p]) => [s, dec(p)]));
  return {
    portfolio: decodePortfolio(event.portfolio),
    book: { index: prices(event.index), mark: prices(event.mark) },
  };
}
