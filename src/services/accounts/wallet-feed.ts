import type { DataSource } from 'typeorm';
import { AccountEntity, WalletBalanceEntity } from '../../entities';
import { notFound } from '../../errors';
import { flatMapStream } from '../../lib/async-iterables';
import type { LedgerTail } from '../ledger/ledger-tail';
import type { AccountService } from './account.service';
import type { WalletView } from './wallets';

export interface WalletUpdateEvent {
  accountId: string;
  wallet: WalletView;
  /** The last ledger entry this update reflects. */
  cursor: string;
}

/**
 * walletUpdated from the ledger: each batch of new entries (replayed after a cursor, then live) becomes the
 * current view of every wallet the batch touched, with the batch's last entry id as the cursor.
 */
export class WalletFeed {
  constructor(
    private readonly ds: DataSource,
    private readonly accounts: AccountService,
    private readonly tail: LedgerTail,
  ) {}

  follow(accountId: string, after: string | null): AsyncIterableIterator<WalletUpdateEvent> {
    return flatMapStream(this.tail.follow(accountId, after), async (batch) => {
      const touched = new Set(batch.map((e) => e.wallet));
      const [account, balances] = await Promise.all([
        this.ds.getRepository(AccountEntity).findOneBy({ id: accountId }),
        this.ds.getRepository(WalletBalanceEntity).findBy({ accountId }),
      ]);
      if (!account) throw notFound('Account');
      const cursor = batch[batch.length - 1].id;
      return this.accounts
        .wallets(account, balances)
        .filter((wallet) => touched.has(wallet.type))
        .map((wallet) => ({ accountId, wallet, cursor }));
    });
  }
}
