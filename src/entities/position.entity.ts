import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Decimal } from '../lib/decimal';
import { CodeColumn, MoneyColumn, TimestampColumn } from './columns';

/** One-way mode: one net position per account and symbol; quantity 0 rows are deleted. */
@Entity('position')
@Index('uq_position', ['accountId', 'symbol'], { unique: true })
export class PositionEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'bigint' })
  accountId: string;

  @CodeColumn(30)
  symbol: string;

  /** Signed: UM in base asset, CM in contracts. */
  @MoneyColumn()
  quantity: Decimal;

  @MoneyColumn()
  entryPrice: Decimal;

  @Column({ type: 'int' })
  leverage: number;

  @TimestampColumn()
  updatedAt: Date;
}
