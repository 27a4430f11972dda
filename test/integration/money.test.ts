import { dec } from '../../src/lib/decimal';
import { auditLedger } from '../../src/services/ledger/audit';
import { backends } from '../helpers/backends';
import {
  ACTIVATE,
  BORROW,
  code,
  DEPOSIT,
  FILL,
  fundedAccount,
  newKey,
  pmAccount,
  REPAY,
  RIGHT_ANSWERS,
  transfer,
  WALLETS,
  WITHDRAW,
  applyFill,
} from '../helpers/money';
import { startTestApp, type TestApp } from '../helpers/test-app';

type Wallets = {
  me: {
    mode: string;
    wallets: {
      type: string;
      balances: { asset: string; free: string; borrowed: string; interest: string }[];
    }[];
  };
};

async function balance(t: TestApp, token: string, wallet: string, asset: string) {
  const res = await t.gql<Wallets>(WALLETS, {}, token);
  const b = res.data!.me.wallets.find((w) => w.type === wallet)?.balances.find((x) => x.asset === asset);
  return b ?? { asset, free: '0', borrowed: '0', interest: '0' };
}

describe.each(backends())('money movements on $name', (backend) => {
  let t: TestApp;
  let op: string;
  beforeAll(async () => {
    t = await startTestApp(backend);
    op = await t.operatorToken();
  });
  afterEach(async () => {
    const report = await auditLedger(t.db.ds);
    expect(report.differences).toEqual([]);
  });
  afterAll(() => t?.stop());

  describe('deposit and withdraw', () => {
    it('are operator-only, move SPOT against EXTERNAL and never overdraw', async () => {
      const a = await fundedAccount(t, { USDT: '100' });
      expect(
        code(await t.gql(DEPOSIT, { accountId: a.id, asset: 'USDT', amount: '1', key: newKey() }, a.token)),
      ).toBe('FORBIDDEN');
      const w = await t.gql<{ withdraw: { free: string } }>(
        WITHDRAW,
        { accountId: a.id, asset: 'USDT', amount: '40.5', key: newKey() },
        op,
      );
      expect(w.data!.withdraw.free).toBe('59.5');
      expect(
        code(await t.gql(WITHDRAW, { accountId: a.id, asset: 'USDT', amount: '60', key: newKey() }, op)),
      ).toBe('INSUFFICIENT_BALANCE');
      expect(
        code(await t.gql(DEPOSIT, { accountId: a.id, asset: 'DOGE', amount: '1', key: newKey() }, op)),
      ).toBe('UNKNOWN_ASSET');
      expect(
        code(await t.gql(DEPOSIT, { accountId: '999999', asset: 'USDT', amount: '1', key: newKey() }, op)),
      ).toBe('NOT_FOUND');
      expect((await balance(t, a.token, 'SPOT', 'USDT')).free).toBe('59.5');
    });
  });

  describe('transfer', () => {
    it('moves between CLASSIC wallets and refuses what the mode or wallet does not take', async () => {
      const a = await fundedAccount(t, { USDT: '1000', SOL: '10' });
      const ok = await transfer(t, a.token, 'USDT', '250.25', 'SPOT', 'USDM_FUTURES');
      expect(ok.data!.transfer).toMatchObject({ asset: 'USDT', amount: '250.25' });
      expect((await balance(t, a.token, 'USDM_FUTURES', 'USDT')).free).toBe('250.25');
      expect(code(await transfer(t, a.token, 'USDT', '1', 'SPOT', 'PORTFOLIO_MARGIN'))).toBe('PM_NOT_ACTIVE');
      expect(code(await transfer(t, a.token, 'SOL', '1', 'SPOT', 'USDM_FUTURES'))).toBe(
        'UNSUPPORTED_TRANSFER',
      );
      expect(code(await transfer(t, a.token, 'USDT', '1000', 'SPOT', 'CROSS_MARGIN'))).toBe(
        'INSUFFICIENT_BALANCE',
      );
      expect(code(await transfer(t, a.token, 'USDT', '1', 'SPOT', 'SPOT'))).toBe('BAD_USER_INPUT');
      expect(code(await transfer(t, a.token, 'USDT', '0.000000001', 'SPOT', 'CROSS_MARGIN'))).toBe(
        'BAD_USER_INPUT',
      );
    });

    it('is exactly once per key: a replay returns the first answer, other input under the key is refused', async () => {
      const a = await fundedAccount(t, { USDT: '100' });
      const key = newKey();
      const first = await transfer(t, a.token, 'USDT', '10', 'SPOT', 'CROSS_MARGIN', key);
      const again = await transfer(t, a.token, 'USDT', '10.000', 'SPOT', 'CROSS_MARGIN', key);
      expect(again.data).toEqual(first.data);
      expect((await balance(t, a.token, 'SPOT', 'USDT')).free).toBe('90');
      expect(code(await transfer(t, a.token, 'USDT', '11', 'SPOT', 'CROSS_MARGIN', key))).toBe(
        'IDEMPOTENCY_KEY_REUSED',
      );
      expect(
        code(await t.gql(BORROW, { input: { asset: 'USDT', amount: '10', idempotencyKey: key } }, a.token)),
      ).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('stores a business refusal with the key and replays it even after the balance changes', async () => {
      const a = await fundedAccount(t, { USDT: '5' });
      const key = newKey();
      expect(code(await transfer(t, a.token, 'USDT', '10', 'SPOT', 'CROSS_MARGIN', key))).toBe(
        'INSUFFICIENT_BALANCE',
      );
      await t.gql(DEPOSIT, { accountId: a.id, asset: 'USDT', amount: '100', key: newKey() }, op);
      expect(code(await transfer(t, a.token, 'USDT', '10', 'SPOT', 'CROSS_MARGIN', key))).toBe(
        'INSUFFICIENT_BALANCE',
      );
      expect((await balance(t, a.token, 'SPOT', 'USDT')).free).toBe('105');
    });

    it('scopes keys to the account', async () => {
      const a = await fundedAccount(t, { USDT: '10' });
      const b = await fundedAccount(t, { USDT: '10' });
      const key = newKey();
      expect((await transfer(t, a.token, 'USDT', '1', 'SPOT', 'CROSS_MARGIN', key)).errors).toBeUndefined();
      expect((await transfer(t, b.token, 'USDT', '2', 'SPOT', 'CROSS_MARGIN', key)).errors).toBeUndefined();
    });
  });

  describe('activation', () => {
    it('refuses a non-eligible account and a wrong quiz, changing nothing', async () => {
      const small = await fundedAccount(t, { USDT: '500' });
      await transfer(t, small.token, 'USDT', '500', 'SPOT', 'CROSS_MARGIN');
      const refused = await t.gql(ACTIVATE, { answers: RIGHT_ANSWERS }, small.token);
      expect(code(refused)).toBe('NOT_ELIGIBLE');

      const rich = await fundedAccount(t, { USDT: '150000' });
      await transfer(t, rich.token, 'USDT', '150000', 'SPOT', 'USDM_FUTURES');
      const wrong = RIGHT_ANSWERS.map((a, i) => (i < 2 ? { ...a, optionId: 'c' } : a));
      const quiz = await t.gql(ACTIVATE, { answers: wrong }, rich.token);
      expect(quiz.errors?.[0]).toMatchObject({ extensions: { code: 'QUIZ_FAILED', wrongAnswers: 2 } });
      expect(quiz.errors?.[0].message).not.toMatch(/q1|q2/);
      const after = await t.gql<Wallets>(WALLETS, {}, rich.token);
      expect(after.data!.me.mode).toBe('CLASSIC');
      expect((await balance(t, rich.token, 'USDM_FUTURES', 'USDT')).free).toBe('150000');
    });

    it('merges the three wallets exactly once when two activations race', async () => {
      const a = await fundedAccount(t, { USDT: '1000', BTC: '2' }, 1);
      await transfer(t, a.token, 'USDT', '600', 'SPOT', 'USDM_FUTURES');
      await transfer(t, a.token, 'USDT', '300', 'SPOT', 'CROSS_MARGIN');
      await transfer(t, a.token, 'BTC', '1.5', 'SPOT', 'COINM_FUTURES');
      const results = await Promise.all(
        [0, 1].map(() => t.gql(ACTIVATE, { answers: RIGHT_ANSWERS }, a.token)),
      );
      expect(results.map(code).sort()).toEqual(['ALREADY_ACTIVE', undefined].sort());
      const after = await t.gql<Wallets>(WALLETS, {}, a.token);
      expect(after.data!.me.mode).toBe('PORTFOLIO_MARGIN');
      expect(after.data!.me.wallets.map((w) => w.type)).toEqual(['SPOT', 'PORTFOLIO_MARGIN']);
      expect((await balance(t, a.token, 'PORTFOLIO_MARGIN', 'USDT')).free).toBe('900');
      expect((await balance(t, a.token, 'PORTFOLIO_MARGIN', 'BTC')).free).toBe('1.5');
      expect((await balance(t, a.token, 'SPOT', 'USDT')).free).toBe('100');
      expect(code(await transfer(t, a.token, 'USDT', '1', 'SPOT', 'CROSS_MARGIN'))).toBe('PM_ACTIVE');
    });
  });

  describe('in Portfolio Margin', () => {
    it('lets money leave PM only up to maxWithdraw', async () => {
      const a = await pmAccount(t, { USDT: '10000' });
      await applyFill(t, op, a.id, 'BTCUSDT', 'BUY', '1', '90000');
      const risk = await t.gql<{ me: { risk: { mw: string; uniMMR: string } } }>(
        '{ me { risk { uniMMR mw: maxWithdraw(asset: "USDT") } } }',
        {},
        a.token,
      );
      const max = dec(risk.data!.me.risk.mw);
      expect(max.gt(0)).toBe(true);
      expect(max.lt(10000)).toBe(true);
      expect(
        code(
          await transfer(t, a.token, 'USDT', max.plus('0.00000001').toFixed(), 'PORTFOLIO_MARGIN', 'SPOT'),
        ),
      ).toBe('MARGIN_REQUIREMENT');
      expect(
        (await transfer(t, a.token, 'USDT', max.toFixed(), 'PORTFOLIO_MARGIN', 'SPOT')).errors,
      ).toBeUndefined();
    });

    it('borrows with the first hour of interest, enforces the limit, and repays interest first', async () => {
      const a = await pmAccount(t, { USDT: '100000' });
      const loan = await t.gql<{ borrow: { borrowed: string; interest: string } }>(
        BORROW,
        { input: { asset: 'BTC', amount: '0.5', idempotencyKey: newKey() } },
        a.token,
      );
      // 0.5 x 0.0000012 = 0.0000006 per hour, rounded up to 8 decimals.
      expect(loan.data!.borrow).toMatchObject({ borrowed: '0.5', interest: '0.0000006' });
      expect(
        code(
          await t.gql(BORROW, { input: { asset: 'BTC', amount: '100', idempotencyKey: newKey() } }, a.token),
        ),
      ).toBe('BORROW_LIMIT_EXCEEDED');
      expect(
        code(
          await t.gql(
            BORROW,
            { input: { asset: 'USDT', amount: '5000000', idempotencyKey: newKey() } },
            a.token,
          ),
        ),
      ).toBe('MARGIN_REQUIREMENT');
      const repaid = await t.gql<{ repay: { borrowed: string; interest: string } }>(
        REPAY,
        { input: { asset: 'BTC', amount: '0.1', idempotencyKey: newKey() } },
        a.token,
      );
      expect(repaid.data!.repay).toMatchObject({ interest: '0', borrowed: '0.4000006' });
      expect((await balance(t, a.token, 'PORTFOLIO_MARGIN', 'BTC')).free).toBe('0.4');
      // A repay takes min(amount, owed): 0.4000006 here, more than the 0.4 BTC free.
      expect(
        code(await t.gql(REPAY, { input: { asset: 'BTC', amount: '1', idempotencyKey: newKey() } }, a.token)),
      ).toBe('INSUFFICIENT_BALANCE');
      await t.gql(BORROW, { input: { asset: 'USDT', amount: '100', idempotencyKey: newKey() } }, a.token);
      const all = await t.gql<{ repay: { borrowed: string; interest: string } }>(
        REPAY,
        { input: { asset: 'USDT', amount: '1000', idempotencyKey: newKey() } },
        a.token,
      );
      expect(all.data!.repay).toMatchObject({ borrowed: '0', interest: '0' });
      // 100,000 + 100 borrowed - (100 + 0.00045 first-hour interest) repaid.
      expect((await balance(t, a.token, 'PORTFOLIO_MARGIN', 'USDT')).free).toBe('99999.99955');
      const classic = await fundedAccount(t, { USDT: '10' });
      expect(
        code(
          await t.gql(
            BORROW,
            { input: { asset: 'USDT', amount: '1', idempotencyKey: newKey() } },
            classic.token,
          ),
        ),
      ).toBe('PM_NOT_ACTIVE');
    });

    it('replays a fill id with the first answer, even after prices moved, and refuses other input under it', async () => {
      const a = await pmAccount(t, { USDT: '20000' });
      const DOC = `mutation($input: FillInput!) {
        applyFill(input: $input) { symbol quantity entryPrice markPrice notional unrealizedPnl maintenanceMarginUsd }
      }`;
      const input = {
        fillId: newKey('f'),
        accountId: a.id,
        symbol: 'ETHUSDT',
        side: 'SELL',
        quantity: '2',
        price: '3000',
      };
      const first = await t.gql(DOC, { input }, op);
      expect(first.errors).toBeUndefined();
      await t.gql('mutation { publishPrices(prices: [{ symbol: "ETHUSDT", price: "3100" }]) }', {}, op);
      expect(await t.gql(DOC, { input: { ...input, quantity: '2.000' } }, op)).toEqual(first);
      expect(code(await t.gql(DOC, { input: { ...input, price: '3001' } }, op))).toBe(
        'IDEMPOTENCY_KEY_REUSED',
      );
      const positions = await t.gql<{ me: { positions: { quantity: string }[] } }>(
        '{ me { positions { quantity } } }',
        {},
        a.token,
      );
      expect(positions.data!.me.positions).toEqual([{ quantity: '-2' }]);
      await t.gql('mutation { publishPrices(prices: [{ symbol: "ETHUSDT", price: "3000" }]) }', {}, op);
    });

    it('applies fills with average entry, realised PnL and fees, and refuses more exposure in REDUCE_ONLY', async () => {
      const a = await pmAccount(t, { USDT: '20000' });
      const fill = (side: string, quantity: string, price: string, fee = '0') =>
        t.gql<{ applyFill: { quantity: string; entryPrice: string } }>(
          FILL,
          { input: { fillId: newKey('f'), accountId: a.id, symbol: 'BTCUSDT', side, quantity, price, fee } },
          op,
        );
      expect((await fill('BUY', '1', '90000', '9')).data!.applyFill).toMatchObject({
        quantity: '1',
        entryPrice: '90000',
      });
      expect((await fill('BUY', '1', '92000')).data!.applyFill).toMatchObject({
        quantity: '2',
        entryPrice: '91000',
      });
      expect((await fill('SELL', '0.5', '93000', '1')).data!.applyFill).toMatchObject({
        quantity: '1.5',
        entryPrice: '91000',
      });
      // 20000 - 9 fee + 0.5 x (93000 - 91000) - 1 fee
      expect((await balance(t, a.token, 'PORTFOLIO_MARGIN', 'USDT')).free).toBe('20990');

      // At 77,400: equity 20,990 - 1.5 x 13,600 = 590; MM = 116,100 x 0.005 - 50 = 530.5; uniMMR 1.112.
      await t.gql(
        'mutation { publishPrices(prices: [{ symbol: "BTCUSDT", price: "77400" }, { symbol: "BTC", price: "77400" }]) }',
        {},
        op,
      );
      const risk = await t.gql<{ me: { risk: { status: string; uniMMR: string } } }>(
        '{ me { risk { status uniMMR } } }',
        {},
        a.token,
      );
      expect(risk.data!.me.risk.status).toBe('REDUCE_ONLY');
      expect(risk.data!.me.risk.uniMMR).toMatch(/^1\.11215834118755890/);
      expect(code(await fill('BUY', '0.1', '77400'))).toBe('REDUCE_ONLY');
      expect(code(await fill('SELL', '2', '77400'))).toBe('REDUCE_ONLY');
      expect(code(await transfer(t, a.token, 'USDT', '1', 'PORTFOLIO_MARGIN', 'SPOT'))).toBe('REDUCE_ONLY');
      expect((await fill('SELL', '0.5', '77400')).data!.applyFill.quantity).toBe('1');
      // Realised 0.5 x (77,400 - 91,000) = -6,800.
      expect((await balance(t, a.token, 'PORTFOLIO_MARGIN', 'USDT')).free).toBe('14190');
      await t.gql(
        'mutation { publishPrices(prices: [{ symbol: "BTCUSDT", price: "90000" }, { symbol: "BTC", price: "90000" }]) }',
        {},
        op,
      );
    });
  });

  it('pages transfers and ledger entries newest first', async () => {
    const a = await fundedAccount(t, { USDT: '100' });
    for (const amount of ['1', '2', '3']) await transfer(t, a.token, 'USDT', amount, 'SPOT', 'CROSS_MARGIN');
    const page = await t.gql<{
      me: {
        transfers: { nodes: { amount: string }[]; pageInfo: { endCursor: string; hasNextPage: boolean } };
      };
    }>('{ me { transfers(first: 2) { nodes { amount } pageInfo { endCursor hasNextPage } } } }', {}, a.token);
    expect(page.data!.me.transfers.nodes.map((n) => n.amount)).toEqual(['3', '2']);
    const rest = await t.gql<{
      me: { transfers: { nodes: { amount: string }[]; pageInfo: { hasNextPage: boolean } } };
    }>(
      'query($after: String) { me { transfers(first: 2, after: $after) { nodes { amount } pageInfo { hasNextPage } } } }',
      { after: page.data!.me.transfers.pageInfo.endCursor },
      a.token,
    );
    expect(rest.data!.me.transfers.nodes.map((n) => n.amount)).toEqual(['1']);
    expect(rest.data!.me.transfers.pageInfo.hasNextPage).toBe(false);
    const ledger = await t.gql<{
      me: { ledger: { nodes: { wallet: string; amount: string; kind: string }[] } };
    }>('{ me { ledger(first: 2, asset: "USDT") { nodes { wallet amount kind } } } }', {}, a.token);
    expect(ledger.data!.me.ledger.nodes).toEqual([
      { wallet: 'CROSS_MARGIN', amount: '3', kind: 'TRANSFER' },
      { wallet: 'SPOT', amount: '-3', kind: 'TRANSFER' },
    ]);
    expect(code(await t.gql('{ me { ledger(first: 500) { nodes { id } } } }', {}, a.token))).toBe(
      'BAD_USER_INPUT',
    );
  });
});
