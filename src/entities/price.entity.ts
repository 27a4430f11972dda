import { Entity, PrimaryColumn } from 'typeorm';
import type { Decimal } from '../lib/decimal';
import { MoneyColumn, TimestampColumn } from './columns';

/** The last index price of an asset or mark price of a futures symbol. */
@Entity('price')
export class PriceEntity {
  @PrimaryColumn({ type: 'varchar', length: 30 })
  symbol: string;

  @MoneyColumn()
  price: Decimal;

  @TimestampColumn()
  updatedAt: Date;
}
