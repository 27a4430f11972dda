import { InterestChargeEntity, LedgerEntryEntity, LoanSegmentEntity } from '../../src/entities';
import { ManualClock } from '../../src/lib/clock';
import { Decimal, dec, ZERO } from '../../src/lib/decimal';
import { auditLedger } from '../../src/services/ledger/audit';
import { backends } from '../helpers/backends';
import { BORROW, code, newKey, pmAccount, REPAY, WALLETS } from '../helpers/money';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** USDT in the reference data: 8 decimals, hourly rate 0.0000045. */
const R = dec('0.0000045');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** One hour of interest as booked, by hand: principal x r, rounded up to 8 decimals. */
const hourOf = (principal: string): Decimal => dec(principal).times(R).toDecimalPlaces(8, Decimal.ROUND_UP);

type Loan = { borrowed: string; interest: string };
type Wallets = { me: { wallets: { type: string; balances: { asset: string; free: string }[] }[] } };

describe.each(backends())('interest by time owed on $name', (backend) => {
  let t: TestApp;
  let op: string;
  let day = 0;
  const clock = new ManualClock('2030-01-01T00:00:00Z');
  /** Each test on a day of its own: 0:00 of that day plus `ms`. */
  let midnight = 0;
  const at = (ms: number) => clock.set(new Date(midnight + ms));

  beforeAll(async () => {
    t = await startTestApp(backend, { clock });
    op = await t.operatorToken();
  });
  beforeEach(() => {
    midnight = Date.UTC(2030, 0, 1) + ++day * 24 * HOUR;
    at(0);
  });
  afterEach(async () => {
    expect((await auditLedger(t.db.ds)).differences).toEqual([]);
  });
  afterAll(() => t?.stop());

  async function loan(doc: string, token: string, amount: string): Promise<Loan> {
    const res = await t.gql<{ borrow?: Loan; repay?: Loan }>(
      doc,
      { input: { asset: 'USDT', amount, idempotencyKey: newKey('loan') } },
      token,
    );
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return (res.data!.borrow ?? res.data!.repay)!;
  }
  const borrow = (token: string, amount: string) => loan(BORROW, token, amount);
  const repay = (token: string, amount: string) => loan(REPAY, token, amount);
  const accrue = async () =>
    (await t.gql<{ accrueInterest: number }>('mutation { accrueInterest }', {}, op)).data!.accrueInterest;

  /** Interest ever charged to the account: its interest_charge rows, and the ledger's INTEREST entries. */
  async function charged(accountId: string): Promise<{ records: Decimal; ledger: Decimal }> {
    const records = await t.db.ds.getRepository(InterestChargeEntity).findBy({ accountId });
    const entries = await t.db.ds
      .getRepository(LedgerEntryEntity)
      .findBy({ accountId, kind: 'INTEREST', wallet: 'EXTERNAL' });
    return {
      records: records.reduce((s, r) => s.plus(r.interest), ZERO),
      ledger: entries.reduce((s, e) => s.plus(e.amount), ZERO),
    };
  }
  async function expectCharged(accountId: string, expected: Decimal) {
    const { records, ledger } = await charged(accountId);
    expect(records.toFixed()).toBe(expected.toFixed());
    expect(ledger.toFixed()).toBe(expected.toFixed());
  }
  async function pmFree(token: string): Promise<string> {
    const res = await t.gql<Wallets>(WALLETS, {}, token);
    const pm = res.data!.me.wallets.find((w) => w.type === 'PORTFOLIO_MARGIN');
    return pm?.balances.find((b) => b.asset === 'USDT')?.free ?? '0';
  }

  it('example 1: 1,000 at 0:00 and 1,000,000 at 0:30; by 2:00 each has paid its two started hours', async () => {
    const a = await pmAccount(t, { USDT: '3000000' });
    expect(await borrow(a.token, '1000')).toMatchObject({ borrowed: '1000', interest: '0.0045' });
    at(30 * MINUTE);
    // The 1,000's second hour starts at 1:00: nothing of it is due at 0:30.
    expect(await borrow(a.token, '1000000')).toMatchObject({ borrowed: '1001000', interest: '4.5045' });
    at(HOUR);
    // The hour starting exactly now belongs to the next run.
    await accrue();
    await expectCharged(a.id, dec('4.5045'));
    at(2 * HOUR);
    await accrue();
    // 1,000 x r x 2 (hours 0:00, 1:00) + 1,000,000 x r x 2 (hours 0:30, 1:30) = 0.009 + 9.
    await expectCharged(a.id, dec('9.009'));
    await accrue();
    await expectCharged(a.id, dec('9.009'));
    at(2 * HOUR + 1);
    await accrue();
    await expectCharged(a.id, dec('9.0135'));

    // The same charges through the API, newest first, a page at a time.
    const HISTORY = `query($first: Int, $after: String) {
      me { interestHistory(asset: "USDT", first: $first, after: $after) {
        nodes { asset principal interest from to } pageInfo { endCursor hasNextPage } } }
    }`;
    type History = {
      me: {
        interestHistory: {
          nodes: { asset: string; principal: string; interest: string; from: string; to: string }[];
          pageInfo: { endCursor: string | null; hasNextPage: boolean };
        };
      };
    };
    const iso = (ms: number) => new Date(midnight + ms).toISOString();
    const charge = (principal: string, interest: string, from: number) => ({
      asset: 'USDT',
      principal,
      interest,
      from: iso(from),
      to: iso(from + HOUR),
    });
    const first = await t.gql<History>(HISTORY, { first: 3 }, a.token);
    expect(first.data!.me.interestHistory.nodes).toEqual([
      charge('1000', '0.0045', 2 * HOUR),
      charge('1000000', '4.5', 90 * MINUTE),
      charge('1000', '0.0045', HOUR),
    ]);
    expect(first.data!.me.interestHistory.pageInfo.hasNextPage).toBe(true);
    const rest = await t.gql<History>(
      HISTORY,
      { first: 3, after: first.data!.me.interestHistory.pageInfo.endCursor },
      a.token,
    );
    expect(rest.data!.me.interestHistory.nodes).toEqual([
      charge('1000000', '4.5', 30 * MINUTE),
      charge('1000', '0.0045', 0),
    ]);
    expect(rest.data!.me.interestHistory.pageInfo.hasNextPage).toBe(false);
    const btc = await t.gql<History>(
      '{ me { interestHistory(asset: "BTC") { nodes { id } pageInfo { hasNextPage } } } }',
      {},
      a.token,
    );
    expect(btc.data!.me.interestHistory.nodes).toEqual([]);
  });

  it('example 2: 1,000,000 at 0:00, repaid to 1,000 at 1:10: two hours of 1,000,000 then 1,000 x r from 2:00', async () => {
    const a = await pmAccount(t, { USDT: '3000000' });
    await borrow(a.token, '1000000');
    at(70 * MINUTE);
    // The repay first charges hour 1:00 (4.5), then pays the 9 of interest, then 999,000 of principal.
    expect(await repay(a.token, '999009')).toMatchObject({ borrowed: '1000', interest: '0' });
    await expectCharged(a.id, dec('9'));
    at(2 * HOUR);
    await accrue();
    await expectCharged(a.id, dec('9'));
    at(2 * HOUR + 30 * MINUTE);
    await accrue();
    await expectCharged(a.id, dec('9.0045'));
    const [segment] = await t.db.ds.getRepository(LoanSegmentEntity).findBy({ accountId: a.id });
    expect(segment).toMatchObject({ chargedHours: 3 });
    expect(segment.startedAt.getTime()).toBe(midnight);
  });

  it('example 3: borrowed at 0:00 and repaid in full at 1:59 pays two started hours', async () => {
    const a = await pmAccount(t, { USDT: '100000' });
    const before = dec(await pmFree(a.token));
    await borrow(a.token, '1234.56789');
    at(HOUR + 59 * MINUTE);
    // An amount above what is owed is capped to it.
    expect(await repay(a.token, '5000')).toMatchObject({ borrowed: '0', interest: '0' });
    const expected = hourOf('1234.56789').times(2);
    expect(expected.toFixed()).toBe('0.01111112');
    await expectCharged(a.id, expected);
    expect(await pmFree(a.token)).toBe(before.minus(expected).toFixed());
    expect(await t.db.ds.getRepository(LoanSegmentEntity).countBy({ accountId: a.id })).toBe(0);
  });

  it('a repay reduces the newest segment first; the rest keeps its own hours', async () => {
    const a = await pmAccount(t, { USDT: '100000' });
    await borrow(a.token, '1000');
    at(30 * MINUTE);
    await borrow(a.token, '3000');
    at(40 * MINUTE);
    // Interest owed 0.0045 + 0.0135; then 3,500 of principal: the 3,000 segment goes, the 1,000 keeps 500.
    await repay(a.token, '3500.018');
    const segments = await t.db.ds.getRepository(LoanSegmentEntity).findBy({ accountId: a.id });
    expect(segments.map((s) => [s.principal.toFixed(), s.startedAt.getTime() - midnight])).toEqual([
      ['500', 0],
    ]);
    at(HOUR + 1);
    await accrue();
    await expectCharged(a.id, dec('0.018').plus(hourOf('500')));
  });

  it('ten borrow/repay cycles each pay principal x r x started hours, each hour rounded up', async () => {
    const a = await pmAccount(t, { USDT: '100000' });
    const before = dec(await pmFree(a.token));
    const cycles: [string, number][] = [
      ['1234.56789', 0],
      ['1000', 59 * MINUTE],
      ['777.77777777', HOUR],
      ['5000', HOUR + 1],
      ['0.00000001', 119 * MINUTE],
      ['12345.6789', 2 * HOUR],
      ['3333.33333333', 3 * HOUR - 1],
      ['42', 30 * MINUTE],
      ['99999', 5 * HOUR + 30 * MINUTE],
      ['0.5', 24 * HOUR],
    ];
    // Started hours of each cycle, by hand: at least the first; then every hour begun before the repay.
    const hours = [1, 1, 1, 2, 2, 2, 3, 1, 6, 24];
    let start = 0;
    for (const [principal, held] of cycles) {
      at(start);
      await borrow(a.token, principal);
      at(start + held);
      expect(await repay(a.token, '1000000')).toMatchObject({ borrowed: '0', interest: '0' });
      start += held + 7 * MINUTE;
    }
    const expected = cycles.reduce((sum, [p], i) => sum.plus(hourOf(p).times(hours[i])), ZERO);
    await expectCharged(a.id, expected);
    expect(await pmFree(a.token)).toBe(before.minus(expected).toFixed());
  });

  it('maxBorrowable is what borrow accepts: exactly it passes, one unit more is MARGIN_REQUIREMENT', async () => {
    const a = await pmAccount(t, { USDT: '1000' });
    const max = await t.gql<{ me: { risk: { maxBorrowable: string } } }>(
      '{ me { risk { maxBorrowable(asset: "USDT") } } }',
      {},
      a.token,
    );
    // By hand (as in the unit test): the largest x with x + 5 x ceil8(x r) <= 4 x 1000.
    expect(max.data!.me.risk.maxBorrowable).toBe('3999.910002');
    const over = await t.gql(
      BORROW,
      { input: { asset: 'USDT', amount: '3999.91000201', idempotencyKey: newKey('max') } },
      a.token,
    );
    expect(code(over)).toBe('MARGIN_REQUIREMENT');
    expect(await borrow(a.token, '3999.910002')).toMatchObject({ borrowed: '3999.910002' });
    const after = await t.gql<{ me: { risk: { maxBorrowable: string } } }>(
      '{ me { risk { maxBorrowable(asset: "USDT") } } }',
      {},
      a.token,
    );
    expect(after.data!.me.risk.maxBorrowable).toBe('0');
  });

  it('serves yearlyInterestRate = hourlyInterestRate x 24 x 365', async () => {
    const res = await t.gql<{
      assets: { symbol: string; hourlyInterestRate: string; yearlyInterestRate: string }[];
    }>('{ assets { symbol hourlyInterestRate yearlyInterestRate } }');
    // 0.0000045 x 8760 and 0.0000012 x 8760.
    expect(res.data!.assets.find((x) => x.symbol === 'USDT')!.yearlyInterestRate).toBe('0.03942');
    expect(res.data!.assets.find((x) => x.symbol === 'BTC')!.yearlyInterestRate).toBe('0.010512');
  });

  it('accrueInterest catches up every started hour once, whenever and however often it runs', async () => {
    const a = await pmAccount(t, { USDT: '100000' });
    await borrow(a.token, '1000');
    at(3 * HOUR + MINUTE);
    // Two racing catch-ups, then a third: together they charge hours 1:00, 2:00 and 3:00 once.
    await Promise.all([accrue(), accrue()]);
    await accrue();
    await expectCharged(a.id, dec('0.018'));
    const records = await t.db.ds.getRepository(InterestChargeEntity).findBy({ accountId: a.id });
    expect(records.map((r) => r.periodEnd.getTime() - r.periodStart.getTime()).sort((x, y) => x - y)).toEqual(
      [HOUR, 3 * HOUR],
    );
  });
});
