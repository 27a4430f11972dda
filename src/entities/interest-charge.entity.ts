import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Decimal } from '../lib/decimal';
import { CodeColumn, MoneyColumn, TimestampColumn } from './columns';

/**
 * One interest charge of a loan segment: `principal` x hourlyRate for each hour in [periodStart, periodEnd),
 * booked as `interest` by the INTEREST ledger posting of the same transaction (`Account.interestHistory`).
 */
@Entity('interest_charge')
@Index('ix_interest_charge_account', ['accountId', 'id'])
export class InterestChargeEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'bigint' })
  accountId: string;

  @CodeColumn(20)
  asset: string;

  @Column({ type: 'bigint' })
  segmentId: string;

  @MoneyColumn()
  principal: Decimal;

  @MoneyColumn()
  interest: Decimal;

  @TimestampColumn()
  periodStart: Date;

  @TimestampColumn()
  periodEnd: Date;

  @TimestampColumn()
  chargedAt: Date;
}
