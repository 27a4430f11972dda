import type { DataSource } from 'typeorm';
import { AssetEntity, FuturesSymbolEntity } from '../../entities';
import type { WalletType } from '../../entities/wallet-balance.entity';
import { unknownAsset, unknownSymbol } from '../../errors';
import { referenceData, type ReferenceJson } from '../../reference';
import { riskParamsFromReference, type RiskParams } from '../margin';

export interface QuizQuestionData {
  id: string;
  text: string;
  options: { id: string; text: string }[];
  answer: string;
}

/**
 * The tradable world, read once at start: assets and futures symbols from the database (seeded from the
 * reference data), bands, eligibility, wallet rules and the quiz from the reference data.
 */
export class Catalog {
  /** The risk engine's parameters: the live catalogue plus bands and eligibility from the reference data. */
  readonly riskParams: RiskParams;

  private constructor(
    readonly assets: AssetEntity[],
    readonly symbols: FuturesSymbolEntity[],
    readonly reference: ReferenceJson,
  ) {
    this.riskParams = riskParamsFromReference({
      eligibility: reference.eligibility,
      riskBands: reference.riskBands,
      maxWithdrawMmMultiple: reference.maxWithdrawMmMultiple,
      assets: assets.map((a) => ({
        symbol: a.symbol,
        precision: a.precision,
        loanMMR: a.loanMMR.toFixed(),
        marginLeverage: a.marginLeverage,
        hourlyInterestRate: a.hourlyInterestRate.toFixed(),
        borrowLimit: a.borrowLimit.toFixed(),
        collateralTiers: a.collateralTiers,
      })),
      symbols: symbols.map((s) => ({
        symbol: s.symbol,
        type: s.contractType,
        base: s.base,
        settle: s.settle,
        faceValueUsd: s.faceValueUsd?.toFixed() ?? null,
        defaultLeverage: s.defaultLeverage,
        brackets: s.brackets,
      })),
    });
  }

  private readonly assetBySymbol = new Map<string, AssetEntity>();
  private readonly symbolBySymbol = new Map<string, FuturesSymbolEntity>();

  static async load(ds: DataSource, reference: ReferenceJson = referenceData): Promise<Catalog> {
    const assets = await ds.getRepository(AssetEntity).find({ order: { sortOrder: 'ASC' } });
    const symbols = await ds.getRepository(FuturesSymbolEntity).find({ order: { sortOrder: 'ASC' } });
    const catalog = new Catalog(assets, symbols, reference);
    for (const a of assets) catalog.assetBySymbol.set(a.symbol, a);
    for (const s of symbols) catalog.symbolBySymbol.set(s.symbol, s);
    return catalog;
  }

  findAsset(symbol: string): AssetEntity | undefined {
    return this.assetBySymbol.get(symbol);
  }

  /** UNKNOWN_ASSET when missing. */
  asset(symbol: string): AssetEntity {
    const asset = this.assetBySymbol.get(symbol);
    if (!asset) throw unknownAsset(symbol);
    return asset;
  }

  findSymbol(symbol: string): FuturesSymbolEntity | undefined {
    return this.symbolBySymbol.get(symbol);
  }

  /** UNKNOWN_SYMBOL when missing. */
  symbol(symbol: string): FuturesSymbolEntity {
    const spec = this.symbolBySymbol.get(symbol);
    if (!spec) throw unknownSymbol(symbol);
    return spec;
  }

  /** Whether a price symbol names an asset (index price) or a futures symbol (mark price). */
  isPriceSymbol(symbol: string): boolean {
    return this.assetBySymbol.has(symbol) || this.symbolBySymbol.has(symbol);
  }

  /** Reference data's `walletAssets`: "any" or a list. */
  walletTakes(wallet: WalletType, asset: string): boolean {
    const rule = (this.reference.walletAssets as Record<string, string | string[]>)[wallet];
    return rule === 'any' || (Array.isArray(rule) && rule.includes(asset));
  }

  get quiz(): QuizQuestionData[] {
    return this.reference.quiz;
  }
}
