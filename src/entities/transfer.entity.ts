import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Decimal } from '../lib/decimal';
import { CodeColumn, MoneyColumn, TimestampColumn } from './columns';
import type { WalletType } from './wallet-balance.entity';

@Entity('transfer')
@Index('ix_transfer_account', ['accountId', 'id'])
export class TransferEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'bigint' })
  accountId: string;

  @CodeColumn(64)
  idempotencyKey: string;

  @CodeColumn(20)
  asset: string;

  @MoneyColumn()
  amount: Decimal;

  @CodeColumn(20, { name: 'fromWallet' })
  from: WalletType;

  @CodeColumn(20, { name: 'toWallet' })
  to: WalletType;

  @TimestampColumn()
  createdAt: Date;
}
