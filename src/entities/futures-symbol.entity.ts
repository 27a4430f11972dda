import { Column, Entity } from 'typeorm';
import type { Decimal } from '../lib/decimal';
import { CodeColumn, MoneyColumn } from './columns';

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
  @CodeColumn(30, { primary: true })
  symbol: string;

  @CodeColumn(2)
  contractType: ContractType;

  @CodeColumn(20)
  base: string;

  @CodeColumn(20)
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
