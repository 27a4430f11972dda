import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Decimal } from '../lib/decimal';
import { MoneyColumn, TimestampColumn } from './columns';
import type { WalletType } from './wallet-balance.entity';

@Entity('transfer')
@Index('ix_transfer_account', ['accountId', 'id'])
export class TransferEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'bigint' })
  accountId: string;

  @Column({ type: 'varchar', length: 64 })
  idempotencyKey: string;

  @Column({ type: 'varchar', length: 20 })
  asset: string;

  @MoneyColumn()
  amount: Decimal;

  @Column({ type: 'varchar', length: 20, name: 'fromWallet' })
  from: WalletType;

  @Column({ type: 'varchar', length: 20, name: 'toWallet' })
  to: WalletType;

  @TimestampColumn()
  createdAt: Date;
}
