import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import { AccountEntity, PositionEntity, WalletBalanceEntity } from '../../entities';
import type { WalletType } from '../../entities/wallet-balance.entity';
import type { Catalog } from '../catalog/catalog';
import type { PriceService } from '../prices/price.service';
import { WALLETS_OF_MODE, walletView, type WalletView } from './wallets';
import { decodeCursor, pageOf, type Page } from '../../lib/pagination';

/** Per-request batching of an account's rows, so a page of accounts costs one query per table. */
export interface AccountLoaders {
  account: DataLoader<string, AccountEntity | null>;
  balances: DataLoader<string, WalletBalanceEntity[]>;
  positions: DataLoader<string, PositionEntity[]>;
}

function groupBy<T>(rows: T[], keyOf: (row: T) => string, keys: readonly string[]): T[][] {
  const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((k) => groups.get(k)!);
}

/** Reads of accounts, wallets and positions; writes belong to the money services. */
export class AccountService {
  constructor(
    private readonly ds: DataSource,
    private readonly catalog: Catalog,
    private readonly prices: PriceService,
  ) {}

  loaders(): AccountLoaders {
    return {
      account: new DataLoader(async (ids) => {
        const rows = await this.ds.getRepository(AccountEntity).findBy({ id: In([...ids]) });
        const byId = new Map(rows.map((r) => [r.id, r]));
        return ids.map((id) => byId.get(id) ?? null);
      }),
      balances: new DataLoader(async (ids) =>
        groupBy(
          await this.ds.getRepository(WalletBalanceEntity).findBy({ accountId: In([...ids]) }),
          (r) => r.accountId,
          ids,
        ),
      ),
      positions: new DataLoader(async (ids) =>
        groupBy(
          await this.ds
            .getRepository(PositionEntity)
            .find({ where: { accountId: In([...ids]) }, order: { symbol: 'ASC' } }),
          (r) => r.accountId,
          ids,
        ),
      ),
    };
  }

  /** Operator listing, oldest account first. */
  async page(first: number, after: string | null): Promise<Page<AccountEntity>> {
    const afterId = after === null ? null : decodeCursor(after);
    const qb = this.ds
      .getRepository(AccountEntity)
      .createQueryBuilder('a')
      .orderBy('a.id', 'ASC')
      .take(first + 1);
    if (afterId !== null) qb.where('a.id > :afterId', { afterId });
    return pageOf(await qb.getMany(), first);
  }

  /** The wallets of the account's mode, each with its non-empty balances valued at index prices. */
  wallets(account: AccountEntity, balances: WalletBalanceEntity[], only?: WalletType): WalletView[] {
    const order = new Map(this.catalog.assets.map((a, i) => [a.symbol, i]));
    return WALLETS_OF_MODE[account.mode]
      .filter((type) => only === undefined || type === only)
      .map((type) =>
        walletView(
          type,
          balances,
          (asset) => this.prices.get(asset)?.price,
          (asset) => order.get(asset) ?? Number.MAX_SAFE_INTEGER,
        ),
      );
  }
}
