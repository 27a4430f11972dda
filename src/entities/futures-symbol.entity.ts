import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Decimal } from '../lib/decimal';
import { MoneyColumn } from './columns';

export type ContractType = 'UM' | 'CM';

export interface StoredBracket {
  floor: string;
  cap: string | null;
  mmr: string;
  cum: string;
  maxLeverage: number;
}

@Entity('futures_symbol')
export class FuturesSymbolEntity {
  @PrimaryColumn({ type: 'varchar', length: 30 })
  symbol: string;

  @Column({ type: 'varchar', length: 2 })
  contractType: ContractType;

  @Column({ type: 'varchar', length: 20 })
  base: string;

  @Column({ type: 'varchar', length: 20 })
  settle: string;

  @MoneyColumn({ nullable: true })
  faceValueUsd: Decimal | null;

  @Column({ type: 'int' })
  defaultLeverage: number;

  @Column({ type: 'simple-json' })
  brackets: StoredBracket[];

  @Column({ type: 'int' })
  sortOrder: number;
}
