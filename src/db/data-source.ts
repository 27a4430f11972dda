import fs from 'node:fs';
import path from 'node:path';
import mysqlCallback from 'mysql2';
import mysql from 'mysql2/promise';
import { DataSource, type DataSourceOptions, type ValueTransformer } from 'typeorm';
import { ENTITIES } from '../entities';
import { MIGRATIONS } from '../../migrations';
import { PoolAcquireTimeoutError } from './outage';
import { serializeSqlite } from './sqlite-serial';

export type DatabaseKind = 'mysql' | 'sqlite';

export interface DatabaseTarget {
  /** `mysql://user:pass@host:port/db`; null = embedded SQLite. */
  databaseUrl: string | null;
  /** SQLite file; `:memory:` for a throwaway database. */
  sqliteFile?: string;
  dataDir?: string;
  /** MySQL: longest wait for a pooled connection (and to open one) before SERVICE_UNAVAILABLE. */
  acquireTimeoutMs?: number;
}

export const DEFAULT_ACQUIRE_TIMEOUT_MS = 10_000;

export function databaseKind(ds: DataSource): DatabaseKind {
  return ds.options.type === 'mysql' || ds.options.type === 'mariadb' ? 'mysql' : 'sqlite';
}

export type MysqlFlavor = 'mysql' | 'mariadb';

/**
 * TypeORM must know a MariaDB server as `mariadb`: it reads nullable columns' defaults differently there,
 * and a wrong guess makes `migration:generate --check` see changes that are not there.
 */
export async function detectMysqlFlavor(databaseUrl: string): Promise<MysqlFlavor> {
  const connection = await mysql.createConnection(normalizeMysqlUrl(databaseUrl));
  try {
    const [rows] = await connection.query('SELECT VERSION() AS version');
    return /mariadb/i.test(String((rows as { version: string }[])[0].version)) ? 'mariadb' : 'mysql';
  } finally {
    await connection.end();
  }
}

function normalizeMysqlUrl(databaseUrl: string): string {
  return databaseUrl.replace(/^mariadb:/, 'mysql:');
}

type GetConnection = (
  callback: (error: Error | null, connection?: mysqlCallback.PoolConnection) => void,
) => void;

/**
 * mysql2's pool waits for a free connection without limit: when the database is down or every connection
 * hangs, requests would hang with it. Here a wait longer than `timeoutMs` fails with PoolAcquireTimeoutError
 * (SERVICE_UNAVAILABLE to clients); a connection that arrives after that goes straight back to the pool.
 */
function withAcquireTimeout(pool: mysqlCallback.Pool, timeoutMs: number): void {
  const getConnection = pool.getConnection.bind(pool) as GetConnection;
  (pool as unknown as { getConnection: GetConnection }).getConnection = (callback) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      callback(new PoolAcquireTimeoutError(timeoutMs));
    }, timeoutMs);
    getConnection((error, connection) => {
      if (settled) return connection?.release();
      settled = true;
      clearTimeout(timer);
      callback(error, connection);
    });
  };
}

/**
 * mysql2 with two changes: every pooled connection starts in READ COMMITTED (no gap locks on the balance
 * rows' index, the latest committed rows after the account lock), set once per connection rather than with
 * an extra statement per transaction; and acquiring a connection has a time limit (`acquireTimeout`, ms,
 * also the connect timeout).
 */
const mysql2ReadCommitted = {
  ...mysqlCallback,
  createPool({ acquireTimeout, ...config }: mysql.PoolOptions & { acquireTimeout?: number }) {
    const timeoutMs = acquireTimeout ?? DEFAULT_ACQUIRE_TIMEOUT_MS;
    const pool = mysqlCallback.createPool({ ...config, connectTimeout: timeoutMs });
    pool.on('connection', (connection) => {
      connection.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
    });
    withAcquireTimeout(pool, timeoutMs);
    return pool;
  },
};

export function mysqlOptions(
  databaseUrl: string,
  flavor: MysqlFlavor,
  acquireTimeoutMs = DEFAULT_ACQUIRE_TIMEOUT_MS,
): DataSourceOptions {
  return {
    type: flavor,
    driver: mysql2ReadCommitted,
    url: normalizeMysqlUrl(databaseUrl),
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    timezone: 'Z',
    charset: 'utf8mb4',
    // Exact BIGINT ids; DECIMAL stays an exact string (never `decimalNumbers`: it parses to float).
    supportBigNumbers: true,
    bigNumberStrings: true,
    extra: { connectionLimit: 40, acquireTimeout: acquireTimeoutMs },
    logging: ['error'],
  };
}

function sqliteOptions(file: string): DataSourceOptions {
  return {
    type: 'better-sqlite3',
    database: file,
    entities: ENTITIES,
    synchronize: false,
    enableWAL: file !== ':memory:',
    logging: ['error'],
  };
}

const idAsString: ValueTransformer = {
  to: (value: unknown) => value,
  from: (value: unknown) => (value === null || value === undefined ? value : String(value)),
};

/**
 * The entities declare the MySQL truth; the embedded SQLite database needs three adaptations. DECIMAL has
 * NUMERIC affinity there and keeps only 15 significant digits, so money is stored as TEXT. AUTOINCREMENT
 * needs INTEGER, and ids are strings in code as mysql2's `bigNumberStrings` gives them. MySQL collations do
 * not exist there: SQLite's default, BINARY, already compares codes exactly.
 */
function adaptColumnsToSqlite(ds: DataSource): void {
  for (const meta of ds.entityMetadatas) {
    for (const column of meta.columns) {
      column.collation = undefined;
      if (column.type === 'decimal') {
        column.type = 'text';
        column.precision = undefined;
        column.scale = undefined;
      } else if (column.type === 'bigint') {
        column.type = 'integer';
        column.transformer = idAsString;
      }
    }
  }
}

/** Opens the database and brings its schema up to date: MySQL by migrations, SQLite by synchronize. */
export async function openDataSource(target: DatabaseTarget): Promise<DataSource> {
  if (target.databaseUrl) {
    const ds = new DataSource(
      mysqlOptions(target.databaseUrl, await detectMysqlFlavor(target.databaseUrl), target.acquireTimeoutMs),
    );
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    return ds;
  }
  const file = target.sqliteFile ?? path.join(target.dataDir ?? './data', 'portfolio-margin.sqlite');
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const ds = new DataSource(sqliteOptions(file));
  await ds.initialize();
  adaptColumnsToSqlite(ds);
  await ds.synchronize();
  serializeSqlite(ds);
  return ds;
}
