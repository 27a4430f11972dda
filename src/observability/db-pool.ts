import type { DataSource } from 'typeorm';
import type { PoolCounts } from './metrics';

/** The parts of mysql2's pool that say how busy it is (not in its typings). */
interface Mysql2Pool {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
  config?: { connectionLimit?: number };
}

/** Connection counts of a MySQL DataSource's pool; null on SQLite (one connection, no pool). */
export function poolCounts(ds: DataSource): PoolCounts | null {
  const pool = (ds.driver as { pool?: Mysql2Pool }).pool;
  if (!pool?._allConnections) return null;
  return {
    total: pool._allConnections.length,
    idle: pool._freeConnections?.length ?? 0,
    waiting: pool._connectionQueue?.length ?? 0,
    limit: pool.config?.connectionLimit ?? 0,
  };
}
