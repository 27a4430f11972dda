import { In, type EntityManager } from 'typeorm';
import { AccountEntity, WalletBalanceEntity } from '../../entities';
import type { WalletType } from '../../entities/wallet-balance.entity';
import { databaseKind } from '../../db/data-source';
import { ZERO } from '../../lib/decimal';

export const balanceKey = (wallet: string, asset: string): string => `${wallet}:${asset}`;

/**
 * Locks the account row: every money movement of an account takes this lock first, so movements of one
 * account run one at a time and two transactions never wait on each other's balance rows (no deadlock).
 * SQLite serialises whole transactions instead and has no row locks.
 */
export async function lockAccount(em: EntityManager, accountId: string): Promise<AccountEntity | null> {
  const qb = em.createQueryBuilder(AccountEntity, 'a').where('a.id = :id', { id: accountId });
  if (databaseKind(em.connection) === 'mysql') qb.setLock('pessimistic_write');
  return qb.getOne();
}

/** The account's balance rows for the given wallets and assets, created at zero where missing. */
export async function loadBalancesForUpdate(
  em: EntityManager,
  accountId: string,
  keys: { wallet: WalletType; asset: string }[],
  at: Date,
): Promise<Map<string, WalletBalanceEntity>> {
  const wallets = [...new Set(keys.map((k) => k.wallet))];
  const assets = [...new Set(keys.map((k) => k.asset))];
  const qb = em
    .createQueryBuilder(WalletBalanceEntity, 'b')
    .where({ accountId, wallet: In(wallets), asset: In(assets) });
  if (databaseKind(em.connection) === 'mysql') qb.setLock('pessimistic_write');
  const rows = await qb.getMany();
  const byKey = new Map(rows.map((r) => [balanceKey(r.wallet, r.asset), r]));
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
      interestChargedUntil: null,
      updatedAt: at,
    });
    byKey.set(key, row);
    created.push(row);
  }
  if (created.length > 0) await em.save(created);
  return byKey;
}
