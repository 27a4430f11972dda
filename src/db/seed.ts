import type { DataSource } from 'typeorm';
import {
  AssetEntity,
  CatalogVersionEntity,
  FuturesSymbolEntity,
  PriceEntity,
  RiskParametersEntity,
} from '../entities';
import { dec } from '../lib/decimal';
import type { ReferenceJson } from '../reference';
import { inTransaction } from './transaction';

/** Reference `walletAssets` ("any" or a list per wallet) as each asset's own list of wallets. */
export function walletsOf(reference: ReferenceJson, asset: string): string[] {
  return Object.entries(reference.walletAssets as Record<string, string | string[]>)
    .filter(([, rule]) => rule === 'any' || (Array.isArray(rule) && rule.includes(asset)))
    .map(([wallet]) => wallet);
}

/**
 * Fills an empty database from the reference data: the catalogue (assets, futures symbols and a first price
 * for each: the asset's reference index price, a symbol's mark at its base's index), the risk parameters and
 * the catalogue version. Anything already there is the live data, changed by operators, and never touched.
 */
export async function seedReference(ds: DataSource, reference: ReferenceJson): Promise<void> {
  const now = new Date();
  // Through the SQLite queue too: another instance on the same DataSource (tests) may be mid-transaction.
  await inTransaction(ds, async (em) => {
    if ((await em.count(AssetEntity)) === 0) {
      await em.insert(
        AssetEntity,
        reference.assets.map((a, i) => ({
          symbol: a.symbol,
          precision: a.precision,
          collateralTiers: a.collateralTiers,
          loanMMR: dec(a.loanMMR),
          marginLeverage: a.marginLeverage,
          hourlyInterestRate: dec(a.hourlyInterestRate),
          borrowLimit: dec(a.borrowLimit),
          sortOrder: i,
          wallets: walletsOf(reference, a.symbol),
        })),
      );
      await em.insert(
        FuturesSymbolEntity,
        reference.symbols.map((s, i) => ({
          symbol: s.symbol,
          contractType: s.type as 'UM' | 'CM',
          base: s.base,
          settle: s.settle,
          faceValueUsd: 'faceValueUsd' in s && s.faceValueUsd ? dec(s.faceValueUsd) : null,
          defaultLeverage: s.defaultLeverage,
          brackets: s.brackets,
          sortOrder: i,
        })),
      );
      const havePrices = new Set((await em.find(PriceEntity)).map((p) => p.symbol));
      const indexOf = new Map(reference.assets.map((a) => [a.symbol, a.indexPrice]));
      const prices = [
        ...reference.assets.map((a) => ({ symbol: a.symbol, price: dec(a.indexPrice), updatedAt: now })),
        ...reference.symbols
          .filter((s) => indexOf.has(s.base))
          .map((s) => ({ symbol: s.symbol, price: dec(indexOf.get(s.base)!), updatedAt: now })),
      ].filter((p) => !havePrices.has(p.symbol));
      if (prices.length > 0) await em.insert(PriceEntity, prices);
    }
    if ((await em.count(RiskParametersEntity)) === 0) {
      await em.insert(RiskParametersEntity, {
        id: 1,
        bands: reference.riskBands,
        eligibilityThresholdUsd: dec(reference.eligibility.minQualifyingBalanceUsd),
        maxWithdrawMmMultiple: dec(reference.maxWithdrawMmMultiple),
      });
    }
    if ((await em.count(CatalogVersionEntity)) === 0)
      await em.insert(CatalogVersionEntity, { id: 1, version: 1, updatedAt: now });
  });
}
