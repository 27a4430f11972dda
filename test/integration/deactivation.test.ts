import { auditLedger } from '../../src/services/ledger/audit';
import { backends } from '../helpers/backends';
import { applyFill, BORROW, code, newKey, pmAccount, REPAY, WALLETS } from '../helpers/money';
import { startTestApp, type TestApp } from '../helpers/test-app';

const DEACTIVATE = `mutation($dryRun: Boolean, $key: String) {
  deactivatePortfolioMargin(dryRun: $dryRun, idempotencyKey: $key) {
    dryRun blockers { code asset symbol message } moves { asset amount to } account { id mode }
  } }`;

interface Result {
  deactivatePortfolioMargin: {
    dryRun: boolean;
    blockers: { code: string; asset: string | null; symbol: string | null }[];
    moves: { asset: string; amount: string; to: string }[];
    account: { id: string; mode: string } | null;
  };
}

describe.each(backends())('deactivatePortfolioMargin on $name', (backend) => {
  let t: TestApp;
  let op: string;
  beforeAll(async () => {
    t = await startTestApp(backend);
    op = await t.operatorToken();
  });
  afterEach(async () => {
    expect((await auditLedger(t.db.ds)).differences).toEqual([]);
  });
  afterAll(() => t?.stop());

  const deactivate = (token: string, dryRun?: boolean, key?: string) =>
    t.gql<Result>(DEACTIVATE, { dryRun, key }, token);

  it('is blocked by a loan, then after the repay moves every balance to CROSS_MARGIN exactly once', async () => {
    const a = await pmAccount(t, { USDT: '200000', BTC: '1' });
    const loan = await t.gql<{ borrow: { borrowed: string; interest: string } }>(
      BORROW,
      { input: { asset: 'USDT', amount: '1000', idempotencyKey: newKey() } },
      a.token,
    );
    const dry = (await deactivate(a.token)).data!.deactivatePortfolioMargin;
    expect(dry.dryRun).toBe(true);
    expect(dry.blockers).toEqual([expect.objectContaining({ code: 'OPEN_LOAN', asset: 'USDT' })]);
    expect(dry.moves).toEqual(
      expect.arrayContaining([
        { asset: 'USDT', amount: '199999.9955', to: 'CROSS_MARGIN' },
        { asset: 'BTC', amount: '1', to: 'CROSS_MARGIN' },
      ]),
    );
    expect(dry.account).toBeNull();

    expect(code(await deactivate(a.token, false))).toBe('BAD_USER_INPUT');
    const blocked = (await deactivate(a.token, false, newKey())).data!.deactivatePortfolioMargin;
    expect(blocked.blockers.map((b) => b.code)).toEqual(['OPEN_LOAN']);
    expect(blocked.account).toBeNull();
    const before = await t.gql(WALLETS, {}, a.token);
    expect(before.data).toMatchObject({ me: { mode: 'PORTFOLIO_MARGIN' } });

    const owed = loan.data!.borrow;
    const repay = await t.gql(
      REPAY,
      {
        input: {
          asset: 'USDT',
          amount: String(Number(owed.borrowed) + Number(owed.interest)),
          idempotencyKey: newKey(),
        },
      },
      a.token,
    );
    expect(repay.errors).toBeUndefined();

    const key = newKey();
    const done = (await deactivate(a.token, false, key)).data!.deactivatePortfolioMargin;
    expect(done.blockers).toEqual([]);
    expect(done.account).toEqual({ id: a.id, mode: 'CLASSIC' });
    const after = await t.gql<{ me: { mode: string; wallets: { type: string; balances: unknown[] }[] } }>(
      WALLETS,
      {},
      a.token,
    );
    expect(after.data!.me.mode).toBe('CLASSIC');
    const cross = after.data!.me.wallets.find((w) => w.type === 'CROSS_MARGIN')!;
    expect(cross.balances).toEqual(
      expect.arrayContaining([
        { asset: 'USDT', free: '199999.9955', borrowed: '0', interest: '0' },
        { asset: 'BTC', free: '1', borrowed: '0', interest: '0' },
      ]),
    );

    const replay = (await deactivate(a.token, false, key)).data!.deactivatePortfolioMargin;
    expect(replay).toEqual(done);
    expect((await t.gql(WALLETS, {}, a.token)).data).toEqual(after.data);
    expect(code(await deactivate(a.token))).toBe('PM_NOT_ACTIVE');
  });

  it('names an open position and a negative balance', async () => {
    const a = await pmAccount(t, { BTC: '2' });
    await applyFill(t, op, a.id, 'BTCUSDT', 'BUY', '0.1', '90000');
    await applyFill(t, op, a.id, 'ETHUSDT', 'BUY', '1', '3000');
    await applyFill(t, op, a.id, 'ETHUSDT', 'SELL', '1', '100');
    const dry = (await deactivate(a.token, true)).data!.deactivatePortfolioMargin;
    expect(dry.blockers).toEqual([
      expect.objectContaining({ code: 'NEGATIVE_BALANCE', asset: 'USDT', symbol: null }),
      expect.objectContaining({ code: 'OPEN_POSITION', symbol: 'BTCUSDT', asset: null }),
    ]);
  });
});
