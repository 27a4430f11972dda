import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Decimal } from '../lib/decimal';
import { CodeColumn, MoneyColumn, TimestampColumn } from './columns';

export type AccountMode = 'CLASSIC' | 'PORTFOLIO_MARGIN';

@Entity('account')
export class AccountEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'int' })
  vipLevel: number;

  @CodeColumn(20)
  mode: AccountMode;

  @TimestampColumn()
  createdAt: Date;

  @TimestampColumn({ nullable: true })
  activatedAt: Date | null;

  /** The uniMMR at or below which marginCallAlert fires; null when unset. */
  @MoneyColumn({ nullable: true })
  marginCallLevel: Decimal | null;

  /** Whether the alert fired and uniMMR has not recovered above the level since (fires once per crossing). */
  @Column({ type: 'boolean', default: false })
  marginCallFired: boolean;

  /**
   * Incremented by every money transaction that changes the account, under its row lock, and carried by the
   * outbox row of that transaction: a reader that knows version v has seen every change up to v.
   */
  @Column({ type: 'bigint', default: 0 })
  version: string;

  /** The risk status last announced by the risk book's owner (null: never decided, or not Portfolio Margin). */
  @Column({ type: 'varchar', length: 20, nullable: true, default: null })
  riskStatus: string | null;
}
