import type { EntityManager } from 'typeorm';
import { AccountEntity, WalletBalanceEntity } from '../../entities';
import type { AccountMode } from '../../entities/account.entity';
import type { WalletType } from '../../entities/wallet-balance.entity';
import { forUpdate, placeholders, readDate, readNullableDate, sqlQuery } from '../../db/sql';
import { dec, ZERO } from '../../lib/decimal';

export const balanceKey = (wallet: string, asset: string): string => `${wallet}:${asset}`;

export interface StoredAnswer {
  requestHash: string;
  response: string;
}

export interface LockedAccount {
  account: AccountEntity;
  /** The answer already stored under the idempotency key asked for, if any. */
  stored: StoredAnswer | null;
}

/**
 * Locks the account row and reads what its idempotency key already holds, in one statement. Every money
 * movement of an account takes this lock first, so movements of one account run one at a time and two
 * transactions never wait on each other's balance rows (no deadlock between them).
 */
export async function lockAccount(
  em: EntityManager,
  accountId: string,
  idempotencyKey: string | null = null,
): Promise<LockedAccount | null> {
  const rows: Record<string, unknown>[] = await sqlQuery(
    em,
    'SELECT a.id, a.vipLevel, a.mode, a.createdAt, a.activatedAt, a.version, a.riskStatus, r.requestHash, r.response FROM account a ' +
      'LEFT JOIN idempotency_record r ON r.accountId = a.id AND r.idempotencyKey = ? WHERE a.id = ?' +
      forUpdate(em),
    [idempotencyKey ?? '', accountId],
  );
  const row = rows[0];
  if (!row) return null;
  const account = Object.assign(new AccountEntity(), {
    id: String(row.id),
    vipLevel: Number(row.vipLevel),
    mode: row.mode as AccountMode,
    createdAt: readDate(row.createdAt),
    activatedAt: readNullableDate(row.activatedAt),
    version: String(row.version),
    riskStatus: row.riskStatus === null || row.riskStatus === undefined ? null : String(row.riskStatus),
  });
  const stored = row.requestHash
    ? { requestHash: String(row.requestHash), response: String(row.response) }
    : null;
  return { account, stored };
}

/** A wallet_balance row as the driver gives it; `prefix` names its columns in a wider statement. */
export function readBalance(row: Record<string, unknown>, prefix = ''): WalletBalanceEntity {
  const column = (name: string) => row[prefix + name];
  return Object.assign(new WalletBalanceEntity(), {
    id: String(column('id')),
    accountId: String(column('accountId')),
    wallet: column('wallet') as WalletType,
    asset: String(column('asset')),
    free: dec(String(column('free'))),
    locked: dec(String(column('locked'))),
    borrowed: dec(String(column('borrowed'))),
    interest: dec(String(column('interest'))),
    updatedAt: readDate(column('updatedAt')),
  });
}

/** The account's balance rows for the given wallets and assets, locked, created at zero where missing. */
export async function loadBalancesForUpdate(
  em: EntityManager,
  accountId: string,
  keys: { wallet: WalletType; asset: string }[],
  at: Date,
): Promise<Map<string, WalletBalanceEntity>> {
  const wallets = [...new Set(keys.map((k) => k.wallet))];
  const assets = [...new Set(keys.map((k) => k.asset))];
  const rows: Record<string, unknown>[] = await sqlQuery(
    em,
    'SELECT id, accountId, wallet, asset, free, locked, borrowed, interest, updatedAt FROM wallet_balance ' +
      `WHERE accountId = ? AND wallet IN (${placeholders(wallets.length)}) AND asset IN (${placeholders(assets.length)})` +
      forUpdate(em),
    [accountId, ...wallets, ...assets],
  );
  const byKey = new Map(rows.map((r) => [balanceKey(String(r.wallet), String(r.asset)), readBalance(r)]));
  const created: WalletBalanceEntity[] = [];
  for (const { wallet, asset } of keys) {
    const key = balanceKey(wallet, asset);
    if (byKey.has(key)) continue;
    const row = em.create(WalletBalanceEntity, {
      accountId,
      wallet,
      asset,
      free: ZERO,
      locked: ZERO,
      borrowed: ZERO,
      interest: ZERO,
      updatedAt: at,
    });
    byKey.set(key, row);
    created.push(row);
  }
  if (created.length > 0) await em.save(created);
  return byKey;
}
