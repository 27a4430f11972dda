import { openDataSource } from '../src/db/data-source';
import { AccountEntity, PositionEntity, WalletBalanceEntity } from '../src/entities';
import { dec, ZERO } from '../src/lib/decimal';

/** Rows per INSERT: well inside SQLite's limit of bound variables. */
const CHUNK = 200;

/**
 * `n` Portfolio Margin accounts written straight into a fresh SQLite file with bulk INSERTs (seconds, where the
 * API would take minutes): each holds exactly 1 BTC and 20,000 to 30,000 USDT in its unified wallet and a
 * BTCUSDT position of +-0.5, so every account is exposed to BTC and its BTC `valueUsd` is the BTC index price
 * itself (the clients read the tick number from it). Returns the account ids, in order.
 */
export async function seedLivePushAccounts(sqliteFile: string, n: number): Promise<string[]> {
  const ds = await openDataSource({ databaseUrl: null, sqliteFile });
  try {
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
      const balance = (accountId: string, asset: string, free: string) => ({
        accountId,
        wallet: 'PORTFOLIO_MARGIN' as const,
        asset,
        free: dec(free),
        locked: ZERO,
        borrowed: ZERO,
        interest: ZERO,
        updatedAt: now,
      });
      await ds
        .createQueryBuilder()
        .insert()
        .into(WalletBalanceEntity)
        .values(
          chunkIds.flatMap((id, k) => [
            balance(id, 'USDT', String(20_000 + ((from + k) % 10_000))),
            balance(id, 'BTC', '1'),
          ]),
        )
        .execute();
      await ds
        .createQueryBuilder()
        .insert()
        .into(PositionEntity)
        .values(
          chunkIds.map((accountId, k) => ({
            accountId,
            symbol: 'BTCUSDT',
            quantity: dec((from + k) % 2 === 0 ? '0.5' : '-0.5'),
            entryPrice: dec(88_000 + ((from + k) % 100) * 10),
            leverage: 10,
            updatedAt: now,
          })),
        )
        .execute();
      ids.push(...chunkIds);
    }
    return ids;
  } finally {
    await ds.destroy();
  }
}
