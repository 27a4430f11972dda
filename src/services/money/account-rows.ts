import type { EntityManager } from 'typeorm';
import { PositionEntity, WalletBalanceEntity } from '../../entities';

export interface AccountRows {
  balances: WalletBalanceEntity[];
  positions: PositionEntity[];
}

/** Every balance row and position of the account, read inside the operation's transaction (under its lock). */
export async function loadAccountRows(em: EntityManager, accountId: string): Promise<AccountRows> {
  const [balances, positions] = await Promise.all([
    em.findBy(WalletBalanceEntity, { accountId }),
    em.findBy(PositionEntity, { accountId }),
  ]);
  return { balances, positions };
}
