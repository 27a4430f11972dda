import { In, type DataSource } from 'typeorm';
import { PositionEntity, WalletBalanceEntity } from '../../entities';
import type { Portfolio } from '../margin';
import { balanceInput, positionInput } from './risk.service';

/**
 * The unified account (PORTFOLIO_MARGIN balances and the positions) of each of `accountIds`, read in two
 * queries for all of them and grouped in one pass over the rows. An id without rows gets an empty portfolio.
 */
export async function loadPortfolios(ds: DataSource, accountIds: string[]): Promise<Map<string, Portfolio>> {
  const portfolios = new Map<string, Portfolio>(
    accountIds.map((id) => [id, { balances: [], positions: [] }]),
  );
  if (accountIds.length === 0) return portfolios;
  const [balances, positions] = await Promise.all([
    ds.getRepository(WalletBalanceEntity).findBy({ accountId: In(accountIds), wallet: 'PORTFOLIO_MARGIN' }),
    ds.getRepository(PositionEntity).findBy({ accountId: In(accountIds) }),
  ]);
  for (const b of balances) portfolios.get(b.accountId)?.balances.push(balanceInput(b));
  for (const p of positions) portfolios.get(p.accountId)?.positions.push(positionInput(p));
  return portfolios;
}
