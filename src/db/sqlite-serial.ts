import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, QueryRunner } from 'typeorm';

/**
 * SQLite has one connection, shared by everything. So that nothing outside a transaction can join it or see
 * inside it, every use of that connection is a unit that runs alone, in arrival order: a transaction
 * (`runSerialUnit`), or any other TypeORM operation, from taking its query runner to releasing it. Code inside
 * a unit (its async context) uses the connection directly.
 */
const inUnit = new AsyncLocalStorage<true>();
const tails = new WeakMap<DataSource, Promise<void>>();

/** Waits for every earlier unit of `ds`; resolves with the function that lets the next one run. */
function acquire(ds: DataSource): Promise<() => void> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const previous = tails.get(ds) ?? Promise.resolve();
  tails.set(
    ds,
    previous.then(() => held),
  );
  return previous.then(() => release);
}

/** `work` alone on the connection; TypeORM calls inside it (in its async context) use the connection directly. */
export async function runSerialUnit<T>(ds: DataSource, work: () => Promise<T>): Promise<T> {
  if (inUnit.getStore()) return work();
  const release = await acquire(ds);
  try {
    return await inUnit.run(true, work);
  } finally {
    release();
  }
}

/**
 * Makes every query runner TypeORM takes outside a unit a unit of its own: its first call waits for the
 * connection, `release()` frees it. Until then it reports no open transaction (one of another unit is not its
 * own), so TypeORM starts its own where it wants one.
 */
export function serializeSqlite(ds: DataSource): void {
  const take = ds.createQueryRunner.bind(ds);
  ds.createQueryRunner = (mode) => {
    const runner = take(mode);
    if (inUnit.getStore()) return runner;
    let acquired: Promise<() => void> | null = null;
    let released = false;
    const unit = new Proxy(runner, {
      get(target, property, receiver) {
        if (property === 'isTransactionActive') return acquired !== null && target.isTransactionActive;
        if (property === 'release')
          return async () => {
            if (released) return;
            released = true;
            if (acquired) (await acquired)();
            return target.release();
          };
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || property === 'constructor') return value;
        return async (...args: unknown[]) => {
          acquired ??= acquire(ds);
          await acquired;
          return inUnit.run(true, () => (value as (...a: unknown[]) => unknown).apply(target, args));
        };
      },
    });
    return unit as QueryRunner;
  };
}
