import fs from 'node:fs';
import path from 'node:path';
import mysqlCallback from 'mysql2';
import mysql from 'mysql2/promise';
import { DataSource, type DataSourceOptions, type ValueTransformer } from 'typeorm';
import { ENTITIES } from '../entities';
import { MIGRATIONS } from '../../migrations';

export type DatabaseKind = 'mysql' | 'sqlite';

export interface DatabaseTarget {
  /** `mysql://user:pass@host:port/db`; null = embedded SQLite. */
  databaseUrl: string | null;
  /** SQLite file; `:memory:` for a throwaway database. */
  sqliteFile?: string;
  dataDir?: string;
}

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

/**
 * mysql2 with one change: every pooled connection starts in READ COMMITTED (no gap locks on the balance
 * rows' index, the latest committed rows after the account lock), set once per connection rather than with
 * an extra statement per transaction.
 */
const mysql2ReadCommitted = {
  ...mysqlCallback,
  createPool(config: mysql.PoolOptions) {
    const pool = mysqlCallback.createPool(config);
    pool.on('connection', (connection) => {
      connection.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
    });
    return pool;
  },
};

export function mysqlOptions(databaseUrl: string, flavor: MysqlFlavor): DataSourceOptions {
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
    extra: { connectionLimit: 40 },
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
 * The entities declare the MySQL truth; the embedded SQLite database needs two adaptations. DECIMAL has
 * NUMERIC affinity there and keeps only 15 significant digits, so money is stored as TEXT. AUTOINCREMENT
 * needs INTEGER, and ids are strings in code as mysql2's `bigNumberStrings` gives them.
 */
function adaptColumnsToSqlite(ds: DataSource): void {
  for (const meta of ds.entityMetadatas) {
    for (const column of meta.columns) {
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
    const ds = new DataSource(mysqlOptions(target.databaseUrl, await detectMysqlFlavor(target.databaseUrl)));
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
  return ds;
}
