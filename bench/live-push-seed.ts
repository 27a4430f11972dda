import { openDataSource } from '../src/db/data-source';
import { seedReference } from '../src/db/seed';
import { AccountEntity, PositionEntity, WalletBalanceEntity } from '../src/entities';
import { dec, ZERO } from '../src/lib/decimal';
import type { Portfolio } from '../src/services/margin';
import { accountGenerator, BINANCE_SIZE, universe, universeReference } from './universe';

/** Accounts, and then rows, per INSERT: well inside SQLite's limit of bound variables. */
const CHUNK = 200;
const ROW_CHUNK = 1_000;

/** The bench's universe: Binance's size (362 assets, 878 symbols), BTC at 90,000. */
export const LIVE_PUSH_UNIVERSE = universe(BINANCE_SIZE);

/** BTC and every symbol based on it: what one tick moves. */
export const BTC_SYMBOLS = ['BTC', ...(LIVE_PUSH_UNIVERSE.symbolsOf.get('BTC') ?? [])];

/**
 * A fresh SQLite file whose catalogue is the universe, with `n` Portfolio Margin accounts written straight into
 * it with bulk INSERTs (seconds, where the API would take minutes). Each account holds 5 to 30 assets and
 * positions (`accountGenerator`), BTC among them. Its BTC balance is exactly 1 and free of any loan, and it holds
 * no position settling in BTC: its BTC `valueUsd` is then the BTC index price itself, from which the clients read
 * the tick number. Returns the account ids, in order.
 */
export async function seedLivePushAccounts(sqliteFile: string, n: number): Promise<string[]> {
  const ds = await openDataSource({ databaseUrl: null, sqliteFile });
  try {
    await seedReference(ds, universeReference(LIVE_PUSH_UNIVERSE));
    const settle = new Map(LIVE_PUSH_UNIVERSE.reference.symbols.map((s) => [s.symbol, s.settle]));
    const next = accountGenerator(LIVE_PUSH_UNIVERSE, 20261128, new Map([['BTC', 1]]));
    const portfolio = (): Portfolio => {
      const p = next();
      return {
        balances: p.balances.map((b) => (b.asset === 'BTC' ? { ...b, free: dec(1), borrowed: ZERO } : b)),
        positions: p.positions.filter((q) => settle.get(q.symbol) !== 'BTC'),
      };
    };
    const insertRows = async (entity: typeof WalletBalanceEntity | typeof PositionEntity, rows: object[]) => {
      for (let i = 0; i < rows.length; i += ROW_CHUNK)
        await ds
          .createQueryBuilder()
          .insert()
          .into(entity)
          .values(rows.slice(i, i + ROW_CHUNK))
          .execute();
    };
    const now = new Date();
    const ids: string[] = [];
    for (let from = 0; from < n; from += CHUNK) {
      const size = Math.min(CHUNK, n - from);
      const accounts = Array.from({ length: size }, () => ({
        vipLevel: 1,
        mode: 'PORTFOLIO_MARGIN' as const,
        createdAt: now,
        activatedAt: now,
        marginCallLevel: null,
        marginCallFired: false,
        version: '1',
        riskStatus: null,
      }));
      const inserted = await ds.createQueryBuilder().insert().into(AccountEntity).values(accounts).execute();
      const chunkIds = inserted.identifiers.map((row) => String(row.id));
      const portfolios = chunkIds.map((accountId) => ({ accountId, ...portfolio() }));
      const balances = portfolios.flatMap(({ accountId, balances }) =>
        balances.map((b) => ({ accountId, wallet: 'PORTFOLIO_MARGIN' as const, ...b, updatedAt: now })),
      );
      const positions = portfolios.flatMap(({ accountId, positions }) =>
        positions.map((q) => ({ accountId, ...q, updatedAt: now })),
      );
      await insertRows(WalletBalanceEntity, balances);
      await insertRows(PositionEntity, positions);
      ids.push(...chunkIds);
    }
    return ids;
  } finally {
    await ds.destroy();
  }
}
