import type { DataSource } from 'typeorm';
import { AssetEntity, FuturesSymbolEntity, PriceEntity } from '../entities';
import { dec } from '../lib/decimal';
import type { ReferenceJson } from '../reference';

/**
 * Inserts the reference catalogue where missing: assets, futures symbols, and a first price for each (the
 * asset's reference index price; a symbol's mark starts at its base's index). Live rows are never overwritten.
 */
export async function seedReference(ds: DataSource, reference: ReferenceJson): Promise<void> {
  const now = new Date();
  await ds.transaction(async (em) => {
    const haveAssets = new Set((await em.find(AssetEntity)).map((a) => a.symbol));
    const haveSymbols = new Set((await em.find(FuturesSymbolEntity)).map((s) => s.symbol));
    const havePrices = new Set((await em.find(PriceEntity)).map((p) => p.symbol));

    const assets = reference.assets
      .map((a, i) => ({
        symbol: a.symbol,
        precision: a.precision,
        collateralTiers: a.collateralTiers,
        loanMMR: dec(a.loanMMR),
        marginLeverage: a.marginLeverage,
        hourlyInterestRate: dec(a.hourlyInterestRate),
        borrowLimit: dec(a.borrowLimit),
        sortOrder: i,
      }))
      .filter((a) => !haveAssets.has(a.symbol));
    if (assets.length > 0) await em.insert(AssetEntity, assets);

    const symbols = reference.symbols
      .map((s, i) => ({
        symbol: s.symbol,
        contractType: s.type as 'UM' | 'CM',
        base: s.base,
        settle: s.settle,
        faceValueUsd: 'faceValueUsd' in s && s.faceValueUsd ? dec(s.faceValueUsd) : null,
        defaultLeverage: s.defaultLeverage,
        brackets: s.brackets,
        sortOrder: i,
      }))
      .filter((s) => !haveSymbols.has(s.symbol));
    if (symbols.length > 0) await em.insert(FuturesSymbolEntity, symbols);

    const indexOf = new Map(reference.assets.map((a) => [a.symbol, a.indexPrice]));
    const prices = [
      ...reference.assets.map((a) => ({ symbol: a.symbol, price: dec(a.indexPrice), updatedAt: now })),
      ...reference.symbols
        .filter((s) => indexOf.has(s.base))
        .map((s) => ({ symbol: s.symbol, price: dec(indexOf.get(s.base)!), updatedAt: now })),
    ].filter((p) => !havePrices.has(p.symbol));
    if (prices.length > 0) await em.insert(PriceEntity, prices);
  });
}
