import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from './columns';

/** A single-owner lease on a named job or shard (services/lease): held by `owner` until `expiresAt`. */
@Entity('lease')
export class LeaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 100 })
  owner: string;

  @TimestampColumn()
  expiresAt: Date;
}
