import type { EntityManager } from 'typeorm';
import type { WalletBalanceEntity } from '../../entities';
import { dateParam, moneyParam, placeholders, sqlQuery } from '../../db/sql';
import type { LedgerField } from '../../entities/ledger-entry.entity';
import type { WalletType } from '../../entities/wallet-balance.entity';
import { ZERO, type Decimal } from '../../lib/decimal';
import { balanceKey, loadBalancesForUpdate } from './balances';

export const EXTERNAL = 'EXTERNAL';

/** One side of a movement: the signed change of a wallet's net balance through one of its fields. */
export interface Movement {
  wallet: WalletType | typeof EXTERNAL;
  asset: string;
  field: LedgerField;
  amount: Decimal;
}

export interface PostingContext {
  accountId: string;
  kind: string;
  reference: string;
  at: Date;
}

/** Conservation: the sides of one posting cancel out per asset, the EXTERNAL side included. */
export function assertBalanced(movements: Movement[]): void {
  const sums = new Map<string, Decimal>();
  for (const m of movements) sums.set(m.asset, (sums.get(m.asset) ?? ZERO).plus(m.amount));
  for (const [asset, sum] of sums) {
    if (!sum.isZero()) throw new Error(`unbalanced posting for ${asset}: sides sum to ${sum.toFixed()}`);
  }
}

/**
 * Net balance = free + locked - borrowed - interest, so a movement through `borrowed` or `interest`
 * changes that field by minus its amount.
 */
export function applyToBalance(balance: WalletBalanceEntity, field: LedgerField, amount: Decimal): void {
  switch (field) {
    case 'free':
      balance.free = balance.free.plus(amount);
      break;
    case 'locked':
      balance.locked = balance.locked.plus(amount);
      break;
    case 'borrowed':
      balance.borrowed = balance.borrowed.minus(amount);
      break;
    case 'interest':
      balance.interest = balance.interest.minus(amount);
      break;
  }
}

/**
 * Applies a balanced set of movements to the account's balances and writes their ledger entries, in the
 * caller's transaction. The caller holds the account lock; rows it already loaded may be passed in so that
 * checks and changes see the same objects.
 */
export async function post(
  em: EntityManager,
  ctx: PostingContext,
  movements: Movement[],
  loaded: Map<string, WalletBalanceEntity> = new Map(),
): Promise<Map<string, WalletBalanceEntity>> {
  const real = movements.filter((m) => !m.amount.isZero());
  assertBalanced(real);
  const internal = real.filter((m): m is Movement & { wallet: WalletType } => m.wallet !== EXTERNAL);
  const missing = internal.filter((m) => !loaded.has(balanceKey(m.wallet, m.asset)));
  const balances = new Map(loaded);
  if (missing.length > 0) {
    for (const [key, row] of await loadBalancesForUpdate(em, ctx.accountId, missing, ctx.at))
      balances.set(key, row);
  }
  const touched = new Set<WalletBalanceEntity>();
  for (const m of internal) {
    const row = balances.get(balanceKey(m.wallet, m.asset))!;
    applyToBalance(row, m.field, m.amount);
    row.updatedAt = ctx.at;
    touched.add(row);
  }
  const at = dateParam(em, ctx.at);
  if (touched.size > 0) await writeBalances(em, [...touched], at);
  if (real.length > 0) {
    await sqlQuery(
      em,
      'INSERT INTO ledger_entry (accountId, wallet, asset, field, amount, kind, reference, createdAt) VALUES ' +
        real.map(() => `(${placeholders(8)})`).join(', '),
      real.flatMap((m) => [
        ctx.accountId,
        m.wallet,
        m.asset,
        m.field,
        moneyParam(m.amount),
        ctx.kind,
        ctx.reference,
        at,
      ]),
    );
  }
  return balances;
}

const BALANCE_FIELDS = ['free', 'locked', 'borrowed', 'interest'] as const;

/** All touched rows in one UPDATE (a CASE per field): one round trip however many rows a posting moves. */
async function writeBalances(em: EntityManager, rows: WalletBalanceEntity[], at: unknown): Promise<void> {
  const sets = BALANCE_FIELDS.map((f) => `${f} = CASE id ${rows.map(() => 'WHEN ? THEN ?').join(' ')} END`);
  const params = BALANCE_FIELDS.flatMap((f) => rows.flatMap((r) => [r.id, moneyParam(r[f])]));
  await sqlQuery(
    em,
    `UPDATE wallet_balance SET ${sets.join(', ')}, updatedAt = ? WHERE id IN (${placeholders(rows.length)})`,
    [...params, at, ...rows.map((r) => r.id)],
  );
}
