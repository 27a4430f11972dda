import type { DataSource } from 'typeorm';
import { AccountEntity, PositionEntity, type WalletBalanceEntity } from '../../entities';
import type { AccountMode } from '../../entities/account.entity';
import { placeholders, readDate, readNullableDate, readQuery } from '../../db/sql';
import { dec } from '../../lib/decimal';
import { readBalance } from '../ledger/balances';

type Row = Record<string, unknown>;

/** An account's rows at one version, read in one statement. */
export interface AccountRows {
  account: AccountEntity;
  balances: WalletBalanceEntity[];
  /** By symbol, as the engine and the API list them. */
  positions: PositionEntity[];
}

const ACCOUNT_COLUMNS = [
  'id',
  'vipLevel',
  'mode',
  'createdAt',
  'activatedAt',
  'marginCallLevel',
  'marginCallFired',
  'version',
  'riskStatus',
] as const;
const BALANCE_COLUMNS = [
  'id',
  'wallet',
  'asset',
  'free',
  'locked',
  'borrowed',
  'interest',
  'updatedAt',
] as const;
const POSITION_COLUMNS = ['id', 'symbol', 'quantity', 'entryPrice', 'leverage', 'updatedAt'] as const;

/**
 * One UNION ALL over the three tables: each table's columns have positions of their own (a_*, b_*, p_*), NULL
 * in the other tables' rows, so no column mixes two types. One statement reads one snapshot on MySQL (InnoDB's
 * consistent read per statement) and on SQLite, so the rows belong to the version read with them.
 */
function rowsStatement(count: number): string {
  const all = [
    ...ACCOUNT_COLUMNS.map((c) => `a_${c}`),
    ...BALANCE_COLUMNS.map((c) => `b_${c}`),
    ...POSITION_COLUMNS.map((c) => `p_${c}`),
  ];
  const select = (kind: string, table: string, prefix: string) =>
    `SELECT '${kind}' AS kind, ${table === 'account' ? 'id' : 'accountId'} AS accountId, ` +
    all.map((c) => (c.startsWith(prefix) ? `${c.slice(2)} AS ${c}` : `NULL AS ${c}`)).join(', ') +
    ` FROM ${table} WHERE ${table === 'account' ? 'id' : 'accountId'} IN (${placeholders(count)})`;
  return [
    select('a', 'account', 'a_'),
    select('b', 'wallet_balance', 'b_'),
    select('p', 'position', 'p_'),
  ].join(' UNION ALL ');
}

const ACCOUNT_SQL_PREFIX = `SELECT ${ACCOUNT_COLUMNS.join(', ')} FROM account WHERE id IN `;

/** The account rows of `ids` (those that exist), by primary key: what proves a cached state current. */
export async function readAccounts(
  ds: DataSource,
  ids: readonly string[],
): Promise<Map<string, AccountEntity>> {
  const rows: Row[] = await readQuery(ds, `${ACCOUNT_SQL_PREFIX}(${placeholders(ids.length)})`, [...ids]);
  return new Map(rows.map((r) => [String(r.id), accountOf(r, '')]));
}

/** Every row of each account in `ids` that exists, in one statement and one round trip. */
export async function readAccountRows(
  ds: DataSource,
  ids: readonly string[],
): Promise<Map<string, AccountRows>> {
  const rows: Row[] = await readQuery(ds, rowsStatement(ids.length), [...ids, ...ids, ...ids]);
  const byId = new Map<string, AccountRows>();
  for (const r of rows) {
    if (r.kind !== 'a') continue;
    const account = accountOf(r, 'a_');
    byId.set(account.id, { account, balances: [], positions: [] });
  }
  for (const r of rows) {
    const held = byId.get(String(r.accountId));
    if (!held) continue;
    if (r.kind === 'b') held.balances.push(readBalance(r, 'b_'));
    else if (r.kind === 'p') held.positions.push(positionOf(r, held.account.id));
  }
  for (const held of byId.values()) held.positions.sort((x, y) => bySymbol(x.symbol, y.symbol));
  return byId;
}

/** The order of `ORDER BY symbol` under the binary collation of codes: by UTF-16 code units (ASCII here). */
const bySymbol = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

const nullableDec = (value: unknown) => (value === null || value === undefined ? null : dec(String(value)));

function accountOf(r: Row, p: string): AccountEntity {
  return Object.assign(new AccountEntity(), {
    id: String(r[`${p}id`]),
    vipLevel: Number(r[`${p}vipLevel`]),
    mode: String(r[`${p}mode`]) as AccountMode,
    createdAt: readDate(r[`${p}createdAt`]),
    activatedAt: readNullableDate(r[`${p}activatedAt`]),
    marginCallLevel: nullableDec(r[`${p}marginCallLevel`]),
    marginCallFired: Number(r[`${p}marginCallFired`]) === 1 || r[`${p}marginCallFired`] === true,
    version: String(r[`${p}version`]),
    riskStatus:
      r[`${p}riskStatus`] === null || r[`${p}riskStatus`] === undefined ? null : String(r[`${p}riskStatus`]),
  });
}

function positionOf(r: Row, accountId: string): PositionEntity {
  return Object.assign(new PositionEntity(), {
    id: String(r.p_id),
    accountId,
    symbol: String(r.p_symbol),
    quantity: dec(String(r.p_quantity)),
    entryPrice: dec(String(r.p_entryPrice)),
    leverage: Number(r.p_leverage),
    updatedAt: readDate(r.p_updatedAt),
  });
}
