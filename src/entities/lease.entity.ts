import { Entity } from 'typeorm';
import { CodeColumn, TimestampColumn } from './columns';

/** A single-owner lease on a named job or shard (services/lease): held by `owner` until `expiresAt`. */
@Entity('lease')
export class LeaseEntity {
  @CodeColumn(100, { primary: true })
  name: string;

  @CodeColumn(100)
  owner: string;

  @TimestampColumn()
  expiresAt: Date;
}
