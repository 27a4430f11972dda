import type { DataSource, EntityManager } from 'typeorm';
import { decimalTransformer } from '../entities/columns';
import type { Decimal } from '../lib/decimal';
import { databaseKind } from './data-source';

/**
 * Helpers for the few hand-written statements on the money hot path, where TypeORM's query builder costs
 * more CPU than the round trip itself (measured: bench/transfers.bench.ts). The SQL is common to MySQL and
 * SQLite; row locks exist only on MySQL (SQLite runs one transaction at a time).
 */
type Row = Record<string, unknown>;

interface Mysql2Connection {
  query(sql: string, values: unknown[], callback: (error: Error | null, result: unknown) => void): void;
}

/**
 * One hot-path statement in the caller's transaction. On MySQL it goes straight to the transaction's mysql2
 * connection: TypeORM's query runner adds events, a promise wrapper and a stack capture per statement, which
 * cost about as much CPU as the round trip. Errors carry mysql2's `code`, so deadlock retry still sees them.
 */
export function sqlQuery<T = Row[]>(em: EntityManager, sql: string, params: unknown[]): Promise<T> {
  const connection = (em.queryRunner as unknown as { databaseConnection?: Mysql2Connection } | undefined)
    ?.databaseConnection;
  if (databaseKind(em.connection) !== 'mysql' || !connection) return em.query(sql, params);
  return new Promise<T>((resolve, reject) => {
    connection.query(sql, params, (error, result) => (error ? reject(error) : resolve(result as T)));
  });
}

/**
 * One statement outside any transaction, for the read path: on MySQL straight to mysql2's pool (TypeORM's
 * query runner costs about as much CPU as the round trip, as on the money path); on SQLite through TypeORM,
 * which runs it as a unit of its own on the one connection (sqlite-serial.ts).
 */
export function readQuery<T = Row[]>(ds: DataSource, sql: string, params: unknown[]): Promise<T> {
  const pool = (ds.driver as unknown as { pool?: Mysql2Connection }).pool;
  if (databaseKind(ds) !== 'mysql' || !pool) return ds.query(sql, params);
  return new Promise<T>((resolve, reject) => {
    pool.query(sql, params, (error, result) => (error ? reject(error) : resolve(result as T)));
  });
}

/** An INSERT of one row; its generated id (mysql2's insertId, better-sqlite3's lastInsertRowid). */
export async function insertReturningId(em: EntityManager, sql: string, params: unknown[]): Promise<string> {
  const result = await sqlQuery<{ insertId?: number | string } | number | bigint>(em, sql, params);
  return String(typeof result === 'object' && result !== null ? result.insertId : result);
}

/** Rows a statement changed (matched, on MySQL): TypeORM's structured result, on the transaction's runner. */
export async function affectedRows(em: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const result = await em.queryRunner!.query(sql, params, true);
  return result.affected ?? 0;
}

export function forUpdate(em: EntityManager): string {
  return databaseKind(em.connection) === 'mysql' ? ' FOR UPDATE' : '';
}

export const placeholders = (count: number): string => Array.from({ length: count }, () => '?').join(', ');

/** A money value as stored: exact text, at most 18 decimals (the same guard as the column transformer). */
export const moneyParam = (value: Decimal): string => decimalTransformer.to(value) as string;

/** mysql2 gives DATETIME as a Date (timezone 'Z'); SQLite as 'YYYY-MM-DD HH:MM:SS.SSS' in UTC. */
export function readDate(value: unknown): Date {
  if (value instanceof Date) return value;
  return new Date(`${String(value).replace(' ', 'T')}Z`);
}

export const readNullableDate = (value: unknown): Date | null =>
  value === null || value === undefined ? null : readDate(value);

/** Dates as parameters: TypeORM's own format on both databases. */
export function dateParam(em: EntityManager, value: Date | null): unknown {
  return value === null
    ? null
    : em.connection.driver.preparePersistentValue(value, { type: 'datetime', precision: 3 } as never);
}
