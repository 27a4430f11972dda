import { dec, type Decimal } from '../../lib/decimal';
import { PriceUnavailableError, UnknownAssetError, UnknownSymbolError } from './errors';
import type { AssetSpec, PriceBook, RiskParams, SymbolSpec } from './types';

export function assetSpecOf(params: RiskParams, asset: string): AssetSpec {
  const spec = params.assets.get(asset);
  if (!spec) throw new UnknownAssetError(asset);
  return spec;
}

export function symbolSpecOf(params: RiskParams, symbol: string): SymbolSpec {
  const spec = params.symbols.get(symbol);
  if (!spec) throw new UnknownSymbolError(symbol);
  return spec;
}

/** An asset's index price in USD; a missing or non-positive one is refused, never defaulted (even USDT's). */
export function indexPriceOf(prices: PriceBook, asset: string): Decimal {
  return usable(prices.index.get(asset), asset);
}

/** A futures symbol's mark price, refused like `indexPriceOf`. */
export function markPriceOf(prices: PriceBook, symbol: string): Decimal {
  return usable(prices.mark.get(symbol), symbol);
}

function usable(price: Decimal | undefined, symbol: string): Decimal {
  if (price === undefined || !price.isFinite() || !price.gt(0)) throw new PriceUnavailableError(symbol);
  return dec(price);
}
