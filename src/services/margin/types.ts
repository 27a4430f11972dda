import type { Decimal } from '../../lib/decimal';

/** Spec section 3, "Status from uniMMR". Ordered from best to worst. */
export const RISK_STATUSES = [
  'NORMAL',
  'MARGIN_CALL',
  'SUPPLY_MARGIN',
  'REDUCE_ONLY',
  'FORCE_LIQUIDATION',
  'BANKRUPTED',
] as const;
export type RiskStatus = (typeof RISK_STATUSES)[number];

export type ContractType = 'UM' | 'CM';

/** A USD slice [floor, cap) of an asset's value counted at `rate`; cap null = unbounded. */
export interface CollateralTier {
  floor: Decimal;
  cap: Decimal | null;
  rate: Decimal;
}

/** Maintenance bracket [floor, cap): UM by notional in the quote asset, CM by notional in coin. */
export interface Bracket {
  floor: Decimal;
  cap: Decimal | null;
  mmr: Decimal;
  cum: Decimal;
  maxLeverage: number;
}

export interface AssetSpec {
  symbol: string;
  /** Decimal places an amount of this asset may have. */
  precision: number;
  collateralTiers: CollateralTier[];
  loanMMR: Decimal;
  marginLeverage: number;
  hourlyInterestRate: Decimal;
  borrowLimit: Decimal;
}

export interface SymbolSpec {
  symbol: string;
  contractType: ContractType;
  base: string;
  /** UM: the quote asset (USDT); CM: the base coin. */
  settle: string;
  /** CM only: USD face value of one contract. */
  faceValueUsd: Decimal | null;
  defaultLeverage: number;
  brackets: Bracket[];
}

/** A band: status applies when uniMMR > above (above null = the last, catch-all band). */
export interface RiskBand {
  status: RiskStatus;
  above: Decimal | null;
}

/** Everything configurable that the engine reads; built once from reference data. */
export interface RiskParams {
  assets: ReadonlyMap<string, AssetSpec>;
  symbols: ReadonlyMap<string, SymbolSpec>;
  /** Best first, as in reference.json's riskBands. */
  bands: RiskBand[];
  /** 1.2: maxWithdraw keeps accountEquity >= this x accountMaintMargin. */
  maxWithdrawMmMultiple: Decimal;
  eligibility: { minQualifyingBalanceUsd: Decimal; vipLevels: [number, number] };
}

/** Index price per asset (USD), mark price per futures symbol. A missing price is PRICE_UNAVAILABLE. */
export interface PriceBook {
  index: ReadonlyMap<string, Decimal>;
  mark: ReadonlyMap<string, Decimal>;
}

export interface BalanceInput {
  asset: string;
  free: Decimal;
  locked: Decimal;
  borrowed: Decimal;
  interest: Decimal;
}

export interface PositionInput {
  symbol: string;
  /** Signed: UM in base asset, CM in contracts. */
  quantity: Decimal;
  entryPrice: Decimal;
  leverage: number;
}

/** The PM wallet's balances and the account's positions. */
export interface Portfolio {
  balances: BalanceInput[];
  positions: PositionInput[];
}
