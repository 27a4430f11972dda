import type { DataSource } from 'typeorm';
import { systemClock, type Clock } from '../../lib/clock';
import { DatabaseLeaseStore } from './database-lease';
import type { LeaseStore } from './lease';
import { RedisLeaseStore } from './redis-lease';

export type { LeaseStore } from './lease';
export { LeaseKeeper, type LeaseKeeperOptions } from './lease-keeper';
export { DatabaseLeaseStore } from './database-lease';
export { RedisLeaseStore } from './redis-lease';

export interface LeaseBackend {
  ds: DataSource;
  /** Set: leases are Redis keys under `<redisPrefix>:lease:`. Null: rows of the `lease` table. */
  redisUrl: string | null;
  redisPrefix: string;
  /** Expiry clock of the database backend (Redis keeps its own). */
  clock?: Clock;
}

/** A lease store, i.e. one owner: Redis when configured, else the database. See `lease.ts` for the contract. */
export async function openLeaseStore(backend: LeaseBackend): Promise<LeaseStore> {
  return backend.redisUrl
    ? RedisLeaseStore.connect(backend.redisUrl, backend.redisPrefix)
    : new DatabaseLeaseStore(backend.ds, backend.clock ?? systemClock);
}
