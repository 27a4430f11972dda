import type { DataSource, EntityManager } from 'typeorm';
import { AssetEntity, CatalogVersionEntity, FuturesSymbolEntity, RiskParametersEntity } from '../../entities';
import type { WalletType } from '../../entities/wallet-balance.entity';
import { inTransaction } from '../../db/transaction';
import { unknownAsset, unknownSymbol } from '../../errors';
import { referenceData, type ReferenceJson } from '../../reference';
import { riskParamsFromReference, type RiskParams } from '../margin';

export interface QuizQuestionData {
  id: string;
  text: string;
  options: { id: string; text: string }[];
  answer: string;
}

/** The catalogue's rows as stored: what operators change, read in one transaction. */
export interface CatalogRows {
  version: number;
  assets: AssetEntity[];
  symbols: FuturesSymbolEntity[];
  parameters: RiskParametersEntity;
}

/** Wallets that take every asset unless the asset lists its own (spec section 1). */
const EVERY_ASSET_WALLETS: WalletType[] = ['SPOT', 'CROSS_MARGIN', 'PORTFOLIO_MARGIN'];

/**
 * The engine's parameters from the catalogue's rows, through the one validator of parameter invariants
 * (`riskParamsFromReference`): an InvalidRiskParamsError names the rule a row breaks. The VIP range of
 * eligibility stays reference data.
 */
export function riskParamsOf(rows: Omit<CatalogRows, 'version'>, reference: ReferenceJson): RiskParams {
  return riskParamsFromReference({
    eligibility: {
      minQualifyingBalanceUsd: rows.parameters.eligibilityThresholdUsd.toFixed(),
      vipLevels: reference.eligibility.vipLevels,
    },
    riskBands: rows.parameters.bands,
    maxWithdrawMmMultiple: rows.parameters.maxWithdrawMmMultiple.toFixed(),
    assets: rows.assets.map((a) => ({
      symbol: a.symbol,
      precision: a.precision,
      loanMMR: a.loanMMR.toFixed(),
      marginLeverage: a.marginLeverage,
      hourlyInterestRate: a.hourlyInterestRate.toFixed(),
      borrowLimit: a.borrowLimit.toFixed(),
      collateralTiers: a.collateralTiers,
    })),
    symbols: rows.symbols.map((s) => ({
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

/** Every catalogue row, in display order, with the version they belong to (inside the caller's transaction). */
export async function readCatalogRows(em: EntityManager): Promise<CatalogRows> {
  const [version, assets, symbols, parameters] = await Promise.all([
    em.findOneByOrFail(CatalogVersionEntity, { id: 1 }),
    em.find(AssetEntity, { order: { sortOrder: 'ASC' } }),
    em.find(FuturesSymbolEntity, { order: { sortOrder: 'ASC' } }),
    em.findOneByOrFail(RiskParametersEntity, { id: 1 }),
  ]);
  return { version: version.version, assets, symbols, parameters };
}

interface CatalogState extends CatalogRows {
  riskParams: RiskParams;
  assetBySymbol: Map<string, AssetEntity>;
  symbolBySymbol: Map<string, FuturesSymbolEntity>;
}

/**
 * The tradable world as this instance knows it: assets, futures symbols and risk parameters from the
 * database, replaced whole when the catalogue version moves (CatalogSync); the quiz and the VIP range from
 * the reference data. Readers always see one consistent version.
 */
export class Catalog {
  private state: CatalogState;
  private readonly listeners = new Set<(version: number) => void>();

  private constructor(
    rows: CatalogRows,
    readonly reference: ReferenceJson,
  ) {
    this.state = this.build(rows);
  }

  static async load(ds: DataSource, reference: ReferenceJson = referenceData): Promise<Catalog> {
    return new Catalog(await inTransaction(ds, readCatalogRows), reference);
  }

  /** Reloads when the database holds a newer version; true when it did. */
  async refresh(ds: DataSource): Promise<boolean> {
    const stored = await ds.getRepository(CatalogVersionEntity).findOneByOrFail({ id: 1 });
    if (stored.version <= this.state.version) return false;
    const rows = await inTransaction(ds, readCatalogRows);
    if (rows.version <= this.state.version) return false;
    this.state = this.build(rows);
    for (const listener of this.listeners) listener(rows.version);
    return true;
  }

  /** Called after each reload with the new version. */
  onChange(listener: (version: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private build(rows: CatalogRows): CatalogState {
    return {
      ...rows,
      riskParams: riskParamsOf(rows, this.reference),
      assetBySymbol: new Map(rows.assets.map((a) => [a.symbol, a])),
      symbolBySymbol: new Map(rows.symbols.map((s) => [s.symbol, s])),
    };
  }

  get version(): number {
    return this.state.version;
  }

  get assets(): AssetEntity[] {
    return this.state.assets;
  }

  get symbols(): FuturesSymbolEntity[] {
    return this.state.symbols;
  }

  /** The engine's parameters: assets, symbols, bands, eligibility, max-withdraw multiple. */
  get riskParams(): RiskParams {
    return this.state.riskParams;
  }

  /** The stored risk parameters (bands, eligibility threshold, max-withdraw multiple). */
  get parameters(): RiskParametersEntity {
    return this.state.parameters;
  }

  findAsset(symbol: string): AssetEntity | undefined {
    return this.state.assetBySymbol.get(symbol);
  }

  /** UNKNOWN_ASSET when missing. */
  asset(symbol: string): AssetEntity {
    const asset = this.findAsset(symbol);
    if (!asset) throw unknownAsset(symbol);
    return asset;
  }

  findSymbol(symbol: string): FuturesSymbolEntity | undefined {
    return this.state.symbolBySymbol.get(symbol);
  }

  /** UNKNOWN_SYMBOL when missing. */
  symbol(symbol: string): FuturesSymbolEntity {
    const spec = this.findSymbol(symbol);
    if (!spec) throw unknownSymbol(symbol);
    return spec;
  }

  /** Whether a price symbol names an asset (index price) or a futures symbol (mark price). */
  isPriceSymbol(symbol: string): boolean {
    return this.state.assetBySymbol.has(symbol) || this.state.symbolBySymbol.has(symbol);
  }

  /** The asset's own wallet list, else defaultWallets. */
  walletTakes(wallet: WalletType, asset: string): boolean {
    const row = this.findAsset(asset);
    if (!row) return false;
    return (row.wallets ?? defaultWallets(asset, this.state.symbols)).includes(wallet);
  }

  get quiz(): QuizQuestionData[] {
    return this.reference.quiz;
  }
}

/**
 * SPOT, CROSS_MARGIN and PORTFOLIO_MARGIN take every asset; a futures wallet takes the assets its symbols
 * settle in or are based on.
 */
export function defaultWallets(asset: string, symbols: FuturesSymbolEntity[]): WalletType[] {
  const wallets = [...EVERY_ASSET_WALLETS];
  const uses = (type: string) =>
    symbols.some((s) => s.contractType === type && (s.base === asset || s.settle === asset));
  if (uses('UM')) wallets.push('USDM_FUTURES');
  if (uses('CM')) wallets.push('COINM_FUTURES');
  return wallets;
}
