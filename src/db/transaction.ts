import type { DataSource, EntityManager } from 'typeorm';
import { databaseKind } from './data-source';
import { runSerialUnit } from './sqlite-serial';

const RETRYABLE_MYSQL_ERRORS = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'ER_CHECKREAD']);
const MAX_ATTEMPTS = 8;

function isRetryable(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } };
  return RETRYABLE_MYSQL_ERRORS.has(e?.driverError?.code ?? e?.code ?? '');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` in one database transaction. On MySQL a deadlock or lock-wait timeout rolls back and the
 * whole unit is retried (up to 8 attempts, jittered backoff), so a client never sees one; `work` must
 * therefore be free of side effects outside the transaction.
 */
export async function inTransaction<T>(ds: DataSource, work: (em: EntityManager) => Promise<T>): Promise<T> {
  if (databaseKind(ds) === 'sqlite') return runSerialUnit(ds, () => ds.transaction(work));
  for (let attempt = 1; ; attempt++) {
    try {
      // READ COMMITTED is each pooled connection's session level (data-source.ts).
      return await ds.transaction(work);
    } catch (error) {
      if (!isRetryable(error) || attempt >= MAX_ATTEMPTS) throw error;
      await sleep(Math.random() * 5 * 2 ** attempt);
    }
  }
}
