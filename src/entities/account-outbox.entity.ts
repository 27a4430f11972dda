import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { TimestampColumn } from './columns';

/**
 * A committed change of an account, written in the money transaction that made it and removed once relayed
 * to the account stream (src/services/events/): the relay cannot lose a change that was committed.
 */
@Entity('account_outbox')
export class AccountOutboxEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'bigint' })
  accountId: string;

  /** The account's version after this change. */
  @Column({ type: 'bigint' })
  version: string;

  /** The operation that made the change. */
  @Column({ type: 'varchar', length: 30 })
  kind: string;

  /** Small JSON: the wallets whose balances changed. */
  @Column({ type: 'varchar', length: 255 })
  payload: string;

  @TimestampColumn()
  createdAt: Date;
}
