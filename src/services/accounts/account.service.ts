import type { DataSource } from 'typeorm';
import { AccountEntity, type WalletBalanceEntity } from '../../entities';
import type { WalletType } from '../../entities/wallet-balance.entity';
import type { Catalog } from '../catalog/catalog';
import type { PriceService } from '../prices/price.service';
import { WALLETS_OF_MODE, walletView, type WalletView } from './wallets';
import type { AccountReadModel, CurrentAccount } from '../read-model/read-model';
import { decodeCursor, pageOf, type Page } from '../../lib/pagination';

/**
 * Per request: each account as the read model proves it current (one primary-key read, batched with every
 * other request's by the read model), the same answer for every field of the request.
 */
export class AccountLoaders {
  private readonly asked = new Map<string, Promise<CurrentAccount | null>>();

  constructor(private readonly readModel: AccountReadModel) {}

  load(id: string): Promise<CurrentAccount | null> {
    let current = this.asked.get(id);
    if (!current) this.asked.set(id, (current = this.readModel.current(id)));
    return current;
  }

  /** After the request itself changed the account: its next field reads it again. */
  clear(id: string): void {
    this.asked.delete(id);
  }
}

/** Reads of accounts, wallets and positions; writes belong to the money services. */
export class AccountService {
  constructor(
    private readonly ds: DataSource,
    private readonly catalog: Catalog,
    private readonly prices: PriceService,
    readonly readModel: AccountReadModel,
  ) {}

  loaders(): AccountLoaders {
    return new AccountLoaders(this.readModel);
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
