import { LessThanOrEqual, type DataSource } from 'typeorm';
import { WalletBalanceEntity } from '../../entities';
import { inTransaction } from '../../db/transaction';
import type { EventBus } from '../../pubsub';
import { lockAccount, loadBalancesForUpdate, balanceKey } from '../ledger/balances';
import { EXTERNAL, post } from '../ledger/movements';
import type { Catalog } from '../catalog/catalog';
import { bookedInterest } from '../margin';
import { HOUR_MS, wholeHoursDue } from './interest-policy';

/**
 * Hourly simple interest (spec section 4). Each loan carries `interestChargedUntil`; a charge covers the
 * whole hours since then and moves it forward by as many hours, in the same transaction as the posting, so
 * a second call within the hour (or two racing calls) charges nothing more.
 */
export class InterestService {
  constructor(
    private readonly ds: DataSource,
    private readonly bus: EventBus,
    private readonly catalog: Catalog,
  ) {}

  /** Charges every loan with at least one whole hour due at `now`; returns how many loans were charged. */
  async accrue(now: Date = new Date()): Promise<number> {
    const due = await this.ds.getRepository(WalletBalanceEntity).find({
      select: { id: true, accountId: true },
      where: { interestChargedUntil: LessThanOrEqual(new Date(now.getTime() - HOUR_MS)) },
    });
    let charged = 0;
    for (const accountId of [...new Set(due.map((d) => d.accountId))]) {
      charged += await this.accrueAccount(accountId, now);
    }
    return charged;
  }

  private async accrueAccount(accountId: string, now: Date): Promise<number> {
    const charged = await inTransaction(this.ds, async (em) => {
      await lockAccount(em, accountId, null);
      const loans = (await em.findBy(WalletBalanceEntity, { accountId })).filter(
        (b) =>
          b.interestChargedUntil !== null &&
          b.borrowed.gt(0) &&
          wholeHoursDue(b.interestChargedUntil, now) > 0,
      );
      let count = 0;
      for (const loan of loans) {
        const asset = this.catalog.asset(loan.asset);
        const hours = wholeHoursDue(loan.interestChargedUntil!, now);
        const interest = bookedInterest(loan.borrowed, asset.hourlyInterestRate, hours, asset.precision);
        const chargedUntil = new Date(loan.interestChargedUntil!.getTime() + hours * HOUR_MS);
        const loaded = await loadBalancesForUpdate(
          em,
          accountId,
          [{ wallet: loan.wallet, asset: loan.asset }],
          now,
        );
        await post(
          em,
          {
            accountId,
            kind: 'INTEREST',
            reference: `interest:${loan.asset}:${chargedUntil.toISOString()}`,
            at: now,
          },
          [
            { wallet: loan.wallet, asset: loan.asset, field: 'interest', amount: interest.neg() },
            { wallet: EXTERNAL, asset: loan.asset, field: 'free', amount: interest },
          ],
          loaded,
        );
        await em.update(
          WalletBalanceEntity,
          { id: loaded.get(balanceKey(loan.wallet, loan.asset))!.id },
          { interestChargedUntil: chargedUntil },
        );
        count++;
      }
      return count;
    });
    if (charged > 0)
      this.bus.publish('ACCOUNT_CHANGED', accountId, {
        accountId,
        wallets: ['PORTFOLIO_MARGIN'],
        reason: 'interest',
      });
    return charged;
  }
}
