import type { DataSource } from 'typeorm';
import { openDataSource } from '../../src/db/data-source';
import { createScratchDatabase } from '../../src/db/scratch-database';

export interface Backend {
  name: 'sqlite' | 'mysql';
  /** A fresh, migrated database of its own. */
  open(): Promise<TestDatabase>;
  redisUrl: string | null;
}

export interface TestDatabase {
  ds: DataSource;
  databaseUrl: string | null;
  /** Closes and, on MySQL, drops the database. */
  close(): Promise<void>;
}

const sqlite: Backend = {
  name: 'sqlite',
  redisUrl: null,
  async open() {
    const ds = await openDataSource({ databaseUrl: null, sqliteFile: ':memory:' });
    return { ds, databaseUrl: null, close: () => ds.destroy() };
  },
};

/** A database of its own on the server of DATABASE_URL, dropped afterwards. */
function mysqlBackend(serverUrl: string): Backend {
  return {
    name: 'mysql',
    redisUrl: process.env.REDIS_URL || null,
    async open() {
      const db = await createScratchDatabase(serverUrl, 'pm_test');
      const ds = await openDataSource({ databaseUrl: db.url });
      return {
        ds,
        databaseUrl: db.url,
        async close() {
          await ds.destroy();
          await db.drop();
        },
      };
    },
  };
}

/**
 * Integration tests run on the embedded database always, and on MySQL/MariaDB (+ Redis) when DATABASE_URL
 * is set. In CI the variables are always set, and an unreachable server fails the run, never skips it.
 */
export function backends(): Backend[] {
  const url = process.env.DATABASE_URL;
  if (process.env.CI === 'true' && !url)
    throw new Error('CI=true but DATABASE_URL is not set: the MySQL suite must run');
  return url ? [sqlite, mysqlBackend(url)] : [sqlite];
}
