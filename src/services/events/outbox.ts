import { EventEmitter } from 'node:events';
import type { DataSource, EntityManager } from 'typeorm';
import type { AccountEntity } from '../../entities';
import { dateParam, sqlQuery } from '../../db/sql';

/** What one committed money transaction tells the account stream (payload small: the book reloads rows). */
export interface AccountChange {
  accountId: string;
  /** The account's version after the change. */
  version: number;
  /** The operation that made it. */
  kind: string;
  /** Wallets whose balances changed. */
  wallets: string[];
}

/**
 * Inside a money transaction, with the account row locked: the account's version goes up by one and the
 * change is written to the outbox in the same transaction, so it is relayed if and only if it committed.
 * Two statements, the same two the transfer benchmark's raw-mysql2 baseline issues.
 */
export async function recordChange(
  em: EntityManager,
  account: AccountEntity,
  kind: string,
  wallets: string[],
  at: Date,
): Promise<number> {
  const version = Number(account.version) + 1;
  await sqlQuery(em, 'UPDATE account SET version = ? WHERE id = ?', [version, account.id]);
  await sqlQuery(
    em,
    'INSERT INTO account_outbox (accountId, version, kind, payload, createdAt) VALUES (?, ?, ?, ?, ?)',
    [account.id, version, kind, JSON.stringify({ wallets }), dateParam(em, at)],
  );
  account.version = String(version);
  return version;
}

/** Per database: "an outbox row was committed", so this process's relay moves it without waiting for a poll. */
const signals = new WeakMap<DataSource, EventEmitter>();

export function outboxSignal(ds: DataSource): EventEmitter {
  let signal = signals.get(ds);
  if (!signal) signals.set(ds, (signal = new EventEmitter()));
  return signal;
}

/** After the commit of a transaction that called recordChange. */
export function outboxCommitted(ds: DataSource): void {
  signals.get(ds)?.emit('committed');
}

/** An outbox row (as selected: accountId, version, kind, payload) as the change it records. */
export function changeOf(row: Record<string, unknown>): AccountChange {
  const { wallets } = JSON.parse(String(row.payload)) as { wallets: string[] };
  return {
    accountId: String(row.accountId),
    version: Number(row.version),
    kind: String(row.kind),
    wallets,
  };
}
