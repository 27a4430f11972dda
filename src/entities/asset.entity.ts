import { Column, Entity } from 'typeorm';
import type { Decimal } from '../lib/decimal';
import { CodeColumn, MoneyColumn } from './columns';

/** A collateral tier as stored: decimal strings, cap null = unbounded. */
export interface StoredTier {
  floor: string;
  cap: string | null;
  rate: string;
}

@Entity('asset')
export class AssetEntity {
  @CodeColumn(20, { primary: true })
  symbol: string;

  @Column({ type: 'int' })
  precision: number;

  @Column({ type: 'simple-json' })
  collateralTiers: StoredTier[];

  @MoneyColumn()
  loanMMR: Decimal;

  @Column({ type: 'int' })
  marginLeverage: number;

  @MoneyColumn()
  hourlyInterestRate: Decimal;

  @MoneyColumn()
  borrowLimit: Decimal;

  @Column({ type: 'int' })
  sortOrder: number;

  /** Wallet types that take the asset; null = the default rule (Catalog.walletTakes). */
  @Column({ type: 'simple-json', nullable: true })
  wallets: string[] | null;
}
