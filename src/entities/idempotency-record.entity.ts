import { Column, Entity, PrimaryColumn } from 'typeorm';
import { CodeColumn, TimestampColumn } from './columns';

/**
 * The first answer to a money mutation, kept under the client's key (spec section 4): a replay with the same
 * request returns `response`; another request under the same key is IDEMPOTENCY_KEY_REUSED.
 */
@Entity('idempotency_record')
export class IdempotencyRecordEntity {
  @PrimaryColumn({ type: 'bigint' })
  accountId: string;

  @CodeColumn(64, { primary: true })
  idempotencyKey: string;

  @CodeColumn(30)
  operation: string;

  /** SHA-256 of the canonical request (values, not spellings). */
  @CodeColumn(64)
  requestHash: string;

  /** `{ ok: result }` or `{ error: { code, message } }`, JSON. */
  @Column({ type: 'text' })
  response: string;

  @TimestampColumn()
  createdAt: Date;
}
