import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from './columns';

/**
 * The first answer to a money mutation, kept under the client's key (spec section 4): a replay with the same
 * request returns `response`; another request under the same key is IDEMPOTENCY_KEY_REUSED.
 */
@Entity('idempotency_record')
export class IdempotencyRecordEntity {
  @PrimaryColumn({ type: 'bigint' })
  accountId: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  idempotencyKey: string;

  @Column({ type: 'varchar', length: 30 })
  operation: string;

  /** SHA-256 of the canonical request (values, not spellings). */
  @Column({ type: 'varchar', length: 64 })
  requestHash: string;

  /** `{ ok: result }` or `{ error: { code, message } }`, JSON. */
  @Column({ type: 'text' })
  response: string;

  @TimestampColumn()
  createdAt: Date;
}
