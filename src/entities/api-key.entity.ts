import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CodeColumn, TimestampColumn } from './columns';

export type ApiKeyScope = 'READ' | 'TRANSFER';

/** A partner key: only the SHA-256 of the secret is kept. */
@Entity('api_key')
export class ApiKeyEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'bigint' })
  accountId: string;

  @Column({ type: 'varchar', length: 100 })
  label: string;

  @Column({ type: 'simple-array' })
  scopes: ApiKeyScope[];

  @Index('uq_api_key_hash', { unique: true })
  @CodeColumn(64)
  secretHash: string;

  @TimestampColumn()
  createdAt: Date;

  @TimestampColumn({ nullable: true })
  revokedAt: Date | null;

  /** Last authentication with this key, written at most once a minute per key (ApiKeyService.touch). */
  @TimestampColumn({ nullable: true })
  lastUsedAt: Date | null;
}
