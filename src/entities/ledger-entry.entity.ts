import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Decimal } from '../lib/decimal';
import { CodeColumn, MoneyColumn, TimestampColumn } from './columns';

/** The balance component an entry changes. */
export type LedgerField = 'free' | 'locked' | 'borrowed' | 'interest';

/**
 * One side of a double-entry movement. `amount` is the signed change of the wallet's NET balance
 * (free + locked - borrowed - interest), so a loan of x is `free +x` and `borrowed -x`; the entries of one
 * asset sum to zero across all wallets, the `EXTERNAL` wallet standing for the world outside.
 */
@Entity('ledger_entry')
@Index('ix_ledger_account', ['accountId', 'id'])
export class LedgerEntryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'bigint' })
  accountId: string;

  /** A WalletType or `EXTERNAL`. */
  @CodeColumn(20)
  wallet: string;

  @CodeColumn(20)
  asset: string;

  @CodeColumn(10)
  field: LedgerField;

  @MoneyColumn()
  amount: Decimal;

  @CodeColumn(30)
  kind: string;

  /** What caused it: a transfer id, fill id, idempotency key or activation. */
  @CodeColumn(100)
  reference: string;

  @TimestampColumn()
  createdAt: Date;
}
