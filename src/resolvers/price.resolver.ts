import { Arg, Ctx, Int, Mutation, Resolver, Root, Subscription } from 'type-graphql';
import type { RequestContext } from '../context';
import { requireOperator } from '../auth/viewer';
import { badInput, unknownSymbol } from '../errors';
import { parsePriceInput } from '../services/prices/price-input';
import { dec } from '../lib/decimal';
import { mergeAsyncIterables } from '../lib/async-iterables';
import type { Events } from '../pubsub';
import { Price } from '../schema/catalog.types';
import { PriceInput } from '../schema/inputs';

const MAX_SUBSCRIBED_SYMBOLS = 100;

@Resolver()
export class PriceResolver {
  @Mutation(() => Int, {
    description:
      'Operator only: index prices (asset symbols) and mark prices (futures symbols). Returns how many were applied.',
  })
  async publishPrices(
    @Arg('prices', () => [PriceInput], {
      description: 'Index prices (asset symbols) and mark prices (futures symbols), > 0.',
    })
    prices: PriceInput[],
    @Ctx() ctx: RequestContext,
  ): Promise<number> {
    requireOperator(ctx.auth);
    const max = ctx.services.config.maxPricesPerCall;
    if (prices.length > max) throw badInput(`at most ${max} prices per call`, 'prices');
    const at = new Date();
    const latest = new Map<string, { symbol: string; price: ReturnType<typeof dec>; updatedAt: Date }>();
    prices.forEach((p, i) => {
      const price = parsePriceInput(ctx.services.catalog, p.symbol, p.price, `prices[${i}].price`);
      latest.set(p.symbol, { symbol: p.symbol, price, updatedAt: at });
    });
    return ctx.services.prices.publish([...latest.values()]);
  }

  @Subscription(() => Price, {
    description: 'Every new price of the given symbols (assets and futures symbols); public.',
    subscribe: ({ args, context }) => {
      const { symbols } = args as { symbols: string[] };
      const ctx = context as RequestContext;
      if (symbols.length === 0 || symbols.length > MAX_SUBSCRIBED_SYMBOLS) {
        throw badInput(`symbols must name 1 to ${MAX_SUBSCRIBED_SYMBOLS} symbols`, 'symbols');
      }
      for (const s of symbols) if (!ctx.services.catalog.isPriceSymbol(s)) throw unknownSymbol(s);
      return mergeAsyncIterables(
        [...new Set(symbols)].map((s) => ctx.services.localBus.subscribe('PRICE', s, 16)),
      );
    },
  })
  prices(
    @Root() event: Events['PRICE'],
    @Arg('symbols', () => [String], {
      description: 'Assets (index prices) and futures symbols (mark prices) to follow.',
    })
    _symbols: string[],
  ): Price {
    return { symbol: event.symbol, price: dec(event.price), updatedAt: new Date(event.updatedAt) };
  }
}
