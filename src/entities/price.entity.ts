import { Entity } from 'typeorm';
import type { Decimal } from '../lib/decimal';
import { CodeColumn, MoneyColumn, TimestampColumn } from './columns';

/** The last index price of an asset or mark price of a futures symbol. */
@Entity('price')
export class PriceEntity {
  @CodeColumn(30, { primary: true })
  symbol: string;

  @MoneyColumn()
  price: Decimal;

  @TimestampColumn()
  updatedAt: Date;
}
