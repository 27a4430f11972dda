import { z } from 'zod';
import { unknownSymbol } from '../../errors';
import { parsePrice } from '../../lib/amount';
import type { Decimal } from '../../lib/decimal';
import type { Catalog } from '../catalog/catalog';
import type { PricePoint } from './price.service';

/** A feed's clock may run ahead of ours by this much; a point further ahead would pin its price. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The one rule set for an incoming price, whether an operator sends it (`publishPrices`) or a feed publishes
 * it on Redis: a known asset or futures symbol (else UNKNOWN_SYMBOL) and a positive plain decimal, at most
 * 10^15 with at most 18 decimals (else BAD_USER_INPUT).
 */
export function parsePriceInput(catalog: Catalog, symbol: string, price: string, field: string): Decimal {
  if (!catalog.isPriceSymbol(symbol)) throw unknownSymbol(symbol);
  return parsePrice(price, field);
}

/**
 * A feed batch on Redis: `{"prices":[{"symbol","price","updatedAt"}]}`, 1 to `maxPoints` (MAX_PRICES_PER_CALL,
 * as for `publishPrices`) points, each by the rules above.
 */
export function feedBatchSchema(catalog: Catalog, maxPoints: number, now: () => number = Date.now) {
  const point = z
    .object({
      symbol: z.string().max(64),
      price: z.string().max(64),
      updatedAt: z.iso.datetime({ offset: true }),
    })
    .transform((raw, ctx): PricePoint | typeof z.NEVER => {
      const updatedAt = new Date(raw.updatedAt);
      if (updatedAt.getTime() > now() + MAX_CLOCK_SKEW_MS) {
        ctx.addIssue({ code: 'custom', message: 'updatedAt is in the future', path: ['updatedAt'] });
        return z.NEVER;
      }
      try {
        return {
          symbol: raw.symbol,
          price: parsePriceInput(catalog, raw.symbol, raw.price, 'price'),
          updatedAt,
        };
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message, path: ['price'] });
        return z.NEVER;
      }
    });
  return z.object({ prices: z.array(point).min(1).max(maxPoints) });
}
