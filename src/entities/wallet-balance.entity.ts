import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Decimal } from '../lib/decimal';
import { CodeColumn, MoneyColumn, TimestampColumn } from './columns';

export const WALLET_TYPES = [
  'SPOT',
  'CROSS_MARGIN',
  'USDM_FUTURES',
  'COINM_FUTURES',
  'PORTFOLIO_MARGIN',
] as const;
export type WalletType = (typeof WALLET_TYPES)[number];

@Entity('wallet_balance')
@Index('uq_wallet_balance', ['accountId', 'wallet', 'asset'], { unique: true })
export class WalletBalanceEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'bigint' })
  accountId: string;

  @CodeColumn(20)
  wallet: WalletType;

  @CodeColumn(20)
  asset: string;

  @MoneyColumn()
  free: Decimal;

  @MoneyColumn()
  locked: Decimal;

  /** Loan principal. */
  @MoneyColumn()
  borrowed: Decimal;

  /** Accrued, unpaid loan interest. */
  @MoneyColumn()
  interest: Decimal;

  @TimestampColumn()
  updatedAt: Date;
}
