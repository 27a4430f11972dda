import { InterestChargeEntity, LoanSegmentEntity } from '../../src/entities';
import { ManualClock } from '../../src/lib/clock';
import { auditLedger } from '../../src/services/ledger/audit';
import { backends } from '../helpers/backends';
import { BORROW, newKey, pmAccount } from '../helpers/money';
import { startTestApp, type TestApp } from '../helpers/test-app';

const HOUR = 3_600_000;
const MINUTE = 60_000;

describe.each(backends())('interest scheduler on two instances of $name', (backend) => {
  const clock = new ManualClock('2031-03-01T00:00:00Z');
  const start = clock.now().getTime();
  // On, with timers too slow to fire during the test: the test drives the rounds itself, the way the timers do.
  // A batch of 2 accounts makes every round page.
  const env = {
    INTEREST_ACCRUAL: 'on',
    INTEREST_ACCRUAL_INTERVAL_MS: String(HOUR),
    INTEREST_ACCRUAL_BATCH: '2',
  };
  let a: TestApp;
  let b: TestApp | null = null;
  beforeAll(async () => {
    a = await startTestApp(backend, { clock, env });
    b = await startTestApp(backend, { clock, env, instanceOf: a });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  it('charges every due loan exactly once per hour, whichever instance holds the lease', async () => {
    // Five accounts, loans opened at 0:00, 0:10, ..., 0:40 (and a second loan on the first at 0:50).
    const accounts: { id: string; token: string }[] = [];
    for (let i = 0; i < 5; i++) {
      clock.set(new Date(start + i * 10 * MINUTE));
      const acct = await pmAccount(a, { USDT: '100000' });
      const res = await a.gql(
        BORROW,
        { input: { asset: 'USDT', amount: String(1000 * (i + 1)), idempotencyKey: newKey('s') } },
        acct.token,
      );
      expect(res.errors).toBeUndefined();
      accounts.push(acct);
    }
    clock.set(new Date(start + 50 * MINUTE));
    await a.gql(
      BORROW,
      { input: { asset: 'USDT', amount: '500', idempotencyKey: newKey('s') } },
      accounts[0].token,
    );

    const instances = [a, b!];
    for (let hour = 1; hour <= 4; hour++) {
      // Each round just after 0:55 of the hour: every segment has started its next hour.
      clock.set(new Date(start + hour * HOUR + 55 * MINUTE));
      const rounds = await Promise.all(instances.map((t) => t.app.services.interestAccrual!.tick()));
      // Exactly one instance held the lease and ran the round.
      expect(rounds.filter((r) => r !== null)).toHaveLength(1);
      const segments = await a.db.ds.getRepository(LoanSegmentEntity).find();
      const charges = await a.db.ds.getRepository(InterestChargeEntity).find();
      for (const segment of segments) {
        const own = charges
          .filter((c) => c.segmentId === segment.id)
          .sort((x, y) => x.periodStart.getTime() - y.periodStart.getTime());
        // The borrow-time hour and one charge per round, back to back: no hour twice, none missing.
        expect(own).toHaveLength(1 + hour);
        own.forEach((c, k) => {
          expect(c.periodStart.getTime()).toBe(segment.startedAt.getTime() + k * HOUR);
          expect(c.periodEnd.getTime() - c.periodStart.getTime()).toBe(HOUR);
        });
        expect(segment.chargedHours).toBe(1 + hour);
      }
      // A second round in the same instant finds nothing due.
      const again = await Promise.all(instances.map((t) => t.app.services.interestAccrual!.tick()));
      expect(again.filter((r) => r !== null)).toEqual([0]);
    }

    // The holder stops (releasing the lease): the other instance takes over and keeps charging.
    const holder = instances.find((t) => t.app.services.interestAccrual!.isAccruing)!;
    const other = instances.find((t) => t !== holder)!;
    await holder.app.services.interestAccrual!.stop();
    clock.set(new Date(start + 5 * HOUR + 55 * MINUTE));
    // Five loans (the first account's two segments are one loan), six segments.
    expect(await other.app.services.interestAccrual!.tick()).toBe(5);
    expect(await a.db.ds.getRepository(InterestChargeEntity).count()).toBe(6 * 6);
    expect((await auditLedger(a.db.ds)).differences).toEqual([]);
  });
});
