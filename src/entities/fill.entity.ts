import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Decimal } from '../lib/decimal';
import { CodeColumn, MoneyColumn, TimestampColumn } from './columns';

/**
 * The fill journal (spec 4): every fill the trading engine reported, as booked, in the fill's transaction.
 * Never deleted or updated, so a fill id stays taken for ever and every position can be rebuilt from its
 * fills (`npm run audit:ledger` does). One row per account and fill id: the two sides of a trade may share it.
 */
@Entity('fill')
@Index('uq_fill', ['accountId', 'fillId'], { unique: true })
@Index('ix_fill_position', ['accountId', 'symbol', 'id'])
export class FillEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'bigint' })
  accountId: string;

  @CodeColumn(64)
  fillId: string;

  @CodeColumn(30)
  symbol: string;

  @CodeColumn(4)
  side: 'BUY' | 'SELL';

  /** > 0: UM in the base asset, CM in contracts. */
  @MoneyColumn()
  quantity: Decimal;

  @MoneyColumn()
  price: Decimal;

  /** In the settle asset. */
  @MoneyColumn()
  fee: Decimal;

  /** In the settle asset, as booked (half-even to its precision). */
  @MoneyColumn()
  realizedPnl: Decimal;

  /** The position after the fill: signed quantity (0 when flat) and entry price (the fill price when flat). */
  @MoneyColumn()
  positionQuantity: Decimal;

  @MoneyColumn()
  positionEntryPrice: Decimal;

  @TimestampColumn()
  createdAt: Date;
}
