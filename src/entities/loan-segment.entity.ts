import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Decimal } from '../lib/decimal';
import { CodeColumn, MoneyColumn, TimestampColumn } from './columns';

/**
 * One borrow's principal still owed (spec section 4, interest by time owed): it pays for every hour started
 * since `startedAt`; the first `chargedHours` are paid. A repay reduces the newest segments first; a segment
 * paid off is deleted. The account's PORTFOLIO_MARGIN `borrowed` of the asset is the sum of its segments.
 */
@Entity('loan_segment')
@Index('ix_loan_segment_account', ['accountId', 'asset', 'startedAt'])
@Index('ix_loan_segment_due', ['nextChargeAt', 'accountId'])
export class LoanSegmentEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'bigint' })
  accountId: string;

  @CodeColumn(20)
  asset: string;

  @MoneyColumn()
  principal: Decimal;

  @TimestampColumn()
  startedAt: Date;

  @Column({ type: 'int' })
  chargedHours: number;

  /** startedAt + chargedHours hours: the segment owes more once this instant has passed (the scheduler's index). */
  @TimestampColumn()
  nextChargeAt: Date;
}
