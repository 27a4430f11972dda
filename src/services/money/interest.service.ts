import { LessThan, MoreThan, type DataSource } from 'typeorm';
import { LoanSegmentEntity } from '../../entities';
import { inTransaction } from '../../db/transaction';
import { systemClock, type Clock } from '../../lib/clock';
import { publishAccountChanged, type EventBus } from '../../pubsub';
import { outboxCommitted, recordChange } from '../events/outbox';
import { lockAccount, loadBalancesForUpdate } from '../ledger/balances';
import { post } from '../ledger/movements';
import type { Catalog } from '../catalog/catalog';
import { loanWallet, settleSegments } from './loan-segments';

/**
 * Hourly accrual (spec section 4): charges, for every loan segment, each hour started before `now` and not
 * charged yet (loan-segments.ts). A segment's charged hours move forward in the same transaction as the
 * posting, so running it again, or on two instances at once, charges nothing twice. The scheduler runs it
 * every minute or so; `accrueInterest` is the operator's catch-up.
 */
export class InterestService {
  constructor(
    private readonly ds: DataSource,
    private readonly bus: EventBus,
    private readonly catalog: Catalog,
    private readonly clock: Clock = systemClock,
    /** Accounts read per page when looking for due loans. */
    private readonly batch = 200,
  ) {}

  /** Charges every loan with an hour started before `now` and due; returns how many loans (account, asset) were charged. */
  async accrue(now: Date = this.clock.now()): Promise<number> {
    let charged = 0;
    let after = '0';
    for (;;) {
      // Keyset pages of accounts with a due segment: an account done here has none due at `now` any more.
      const page: { accountId: string }[] = await this.ds
        .getRepository(LoanSegmentEntity)
        .createQueryBuilder('s')
        .select('s.accountId', 'accountId')
        .distinct(true)
        .where({ nextChargeAt: LessThan(now), accountId: MoreThan(after) })
        .orderBy('s.accountId', 'ASC')
        .limit(this.batch)
        .getRawMany();
      for (const { accountId } of page) charged += await this.accrueAccount(String(accountId), now);
      if (page.length < this.batch) return charged;
      after = String(page[page.length - 1].accountId);
    }
  }

  private async accrueAccount(accountId: string, now: Date): Promise<number> {
    const charged = await inTransaction(this.ds, async (em) => {
      const locked = await lockAccount(em, accountId, null);
      const due = await em.find(LoanSegmentEntity, {
        where: { accountId, nextChargeAt: LessThan(now) },
        order: { startedAt: 'ASC', id: 'ASC' },
      });
      const assets = [...new Set(due.map((s) => s.asset))];
      if (assets.length === 0) return 0;
      const loaded = await loadBalancesForUpdate(
        em,
        accountId,
        assets.map((asset) => ({ wallet: loanWallet, asset })),
        now,
      );
      for (const asset of assets) {
        await settleSegments(
          em,
          due.filter((s) => s.asset === asset),
          this.catalog.asset(asset),
          now,
          async (movements, reference) => {
            await post(em, { accountId, kind: 'INTEREST', reference, at: now }, movements, loaded);
          },
        );
      }
      if (locked) await recordChange(em, locked.account, 'interest', [loanWallet], now);
      return assets.length;
    });
    if (charged > 0) outboxCommitted(this.ds);
    if (charged > 0)
      publishAccountChanged(this.bus, {
        accountId,
        wallets: [loanWallet],
        reason: 'interest',
      });
    return charged;
  }
}
