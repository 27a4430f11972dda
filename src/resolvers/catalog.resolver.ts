import { Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context';
import type { AssetEntity, FuturesSymbolEntity } from '../entities';
import type { PriceService } from '../services/prices/price.service';
import { dec } from '../lib/decimal';
import { oncePer } from '../lib/once-per';
import { Asset, FuturesSymbol, Price, QuizQuestion } from '../schema/catalog.types';
import { ContractType } from '../schema/enums';

/** 24 x 365: the yearly rate is the simple hourly rate over a 365-day year. */
const HOURS_PER_YEAR = 24 * 365;

const tier = (t: { floor: string; cap: string | null }) => ({
  floor: dec(t.floor),
  cap: t.cap === null ? null : dec(t.cap),
});

/**
 * Each entity's view without its price is made once (`oncePer`): the catalogue replaces its entities when it
 * changes, never edits them, so a view lives as long as the catalogue version it came from. (Parsing every
 * tier and bracket on each `assets` or `symbols` request was most of a request's cost with a universe of
 * Binance's size.)
 */
const assetView = oncePer((a: AssetEntity): Omit<Asset, 'indexPrice'> => ({
  symbol: a.symbol,
  precision: a.precision,
  collateralTiers: a.collateralTiers.map((t) => ({ ...tier(t), rate: dec(t.rate) })),
  loanMMR: a.loanMMR,
  marginLeverage: a.marginLeverage,
  hourlyInterestRate: a.hourlyInterestRate,
  yearlyInterestRate: a.hourlyInterestRate.times(HOURS_PER_YEAR),
  borrowLimit: a.borrowLimit,
}));

const symbolView = oncePer((s: FuturesSymbolEntity): Omit<FuturesSymbol, 'markPrice'> => ({
  symbol: s.symbol,
  contractType: s.contractType as ContractType,
  base: s.base,
  settle: s.settle,
  faceValueUsd: s.faceValueUsd,
  brackets: s.brackets.map((b) => ({
    ...tier(b),
    mmr: dec(b.mmr),
    cum: dec(b.cum),
    maxLeverage: b.maxLeverage,
  })),
}));

export const toAsset = (a: AssetEntity, prices: PriceService): Asset => ({
  ...assetView(a),
  indexPrice: prices.get(a.symbol)?.price ?? null,
});

export const toSymbol = (s: FuturesSymbolEntity, prices: PriceService): FuturesSymbol => ({
  ...symbolView(s),
  markPrice: prices.get(s.symbol)?.price ?? null,
});

/** Public reference data: no credentials needed. */
@Resolver()
export class CatalogResolver {
  @Query(() => [Asset], {
    description: 'Every asset, with its collateral tiers, loan parameters and index price (USD).',
  })
  assets(@Ctx() { services }: RequestContext): Asset[] {
    return services.catalog.assets.map((a) => toAsset(a, services.prices));
  }

  @Query(() => [FuturesSymbol], {
    description: 'Every futures symbol, with its maintenance brackets and mark price.',
  })
  symbols(@Ctx() { services }: RequestContext): FuturesSymbol[] {
    return services.catalog.symbols.map((s) => toSymbol(s, services.prices));
  }

  @Query(() => [Price], {
    description: 'Latest index prices (assets, USD) and mark prices (futures symbols).',
  })
  prices(@Ctx() { services }: RequestContext): Price[] {
    return services.prices.list();
  }

  @Query(() => [QuizQuestion], { description: 'The activation quiz, without answers.' })
  activationQuiz(@Ctx() { services }: RequestContext): QuizQuestion[] {
    return services.catalog.quiz.map(({ id, text, options }) => ({ id, text, options }));
  }
}
