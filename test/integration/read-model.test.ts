import { seededRandom } from '../../src/lib/seeded-random';
import { backends } from '../helpers/backends';
import {
  ACTIVATE,
  BORROW,
  DEPOSIT,
  REPAY,
  RIGHT_ANSWERS,
  WITHDRAW,
  applyFill,
  fundedAccount,
  newKey,
  pmAccount,
  publishPrices,
  transfer,
} from '../helpers/money';
import { startPeer, startTestApp, type TestApp } from '../helpers/test-app';
import { suiteTestApp } from '../helpers/suite';

const DASHBOARD = `{ me { wallets { type balances { asset net valueUsd } } positions { symbol unrealizedPnl } risk { uniMMR status accountEquity } } }`;

/** Every field the read model serves, as an operator sees any account and as its owner sees it (`me`). */
const EVERY_FIELD = `fragment EveryField on Account { id vipLevel mode marginCallLevel
  wallets { type totalValueUsd balances { asset free locked borrowed interest net valueUsd } }
  spot: wallet(type: SPOT) { type totalValueUsd balances { asset net } }
  positions { symbol contractType quantity entryPrice markPrice notional unrealizedPnl leverage maintenanceMarginUsd initialMarginUsd }
  risk { uniMMR status accountEquity actualEquity accountMaintMargin accountInitialMargin availableBalance maxWithdrawUsd
    assets { asset equity valueUsd collateralValueUsd maintMarginUsd } maxWithdraw(asset: "USDT") maxBorrowable(asset: $asset) }
  activationPreview { uniMMR status accountEquity accountMaintMargin }
  eligibility { eligible qualifyingBalanceUsd reasons vipLevel }
  liquidationPrices { asset currentPrice liquidationPrice } }`;
const ANY_ACCOUNT = `query($id: ID!, $asset: String!) { account(id: $id) { ...EveryField } } ${EVERY_FIELD}`;
const OWN_ACCOUNT = `query($asset: String!) { me { __typename ...EveryField } } ${EVERY_FIELD}`;

type Gql = TestApp['gql'];

interface Dashboard {
  me: {
    wallets: { type: string; balances: { asset: string; net: string; valueUsd: string }[] }[];
    positions: { symbol: string; unrealizedPnl: string }[];
    risk: { uniMMR: string | null; status: string; accountEquity: string } | null;
  };
}

const net = (d: Dashboard, wallet: string, asset: string): string | undefined =>
  d.me.wallets.find((w) => w.type === wallet)?.balances.find((b) => b.asset === asset)?.net;

describe.each(backends())('the versioned account read model on $name', (backend) => {
  const suite = suiteTestApp(backend);

  it('shows a transfer made through instance A on the very next read through instance B', async () => {
    const peer = await startPeer(suite.t);
    try {
      const a = await pmAccount(suite.t, { USDT: '5000' });
      const dashboard = async (gql: Gql) => {
        const res = await gql<Dashboard>(DASHBOARD, {}, a.token);
        expect(res.errors).toBeUndefined();
        return res.data!;
      };
      // B holds the account at its current version.
      expect(net(await dashboard(peer.gql), 'PORTFOLIO_MARGIN', 'USDT')).toBe('5000');
      expect(peer.app.services.readModel.size).toBeGreaterThan(0);
      for (const amount of ['1', '250', '0.5']) {
        expect(
          (await transfer(suite.t, a.token, 'USDT', amount, 'PORTFOLIO_MARGIN', 'SPOT')).errors,
        ).toBeUndefined();
        const seen = await dashboard(peer.gql);
        expect(seen).toEqual(await dashboard(suite.t.gql));
      }
      const after = await dashboard(peer.gql);
      expect(net(after, 'SPOT', 'USDT')).toBe('251.5');
      expect(net(after, 'PORTFOLIO_MARGIN', 'USDT')).toBe('4748.5');
    } finally {
      await peer.stop();
    }
  });

  it('shows a price move in risk and positions on the next read', async () => {
    const a = await pmAccount(suite.t, { USDT: '20000', BTC: '0.5' });
    await applyFill(suite.t, suite.op, a.id, 'BTCUSDT', 'BUY', '0.2', '90000');
    const read = async () => (await suite.t.gql<Dashboard>(DASHBOARD, {}, a.token)).data!.me;
    const before = await read();
    expect(await read()).toEqual(before);
    await publishPrices(suite.t, suite.op, { BTC: '80000', BTCUSDT: '80000' });
    const after = await read();
    // uPnL = 0.2 x (80,000 - 90,000); the BTC collateral is worth 0.5 x 80,000 before its haircut.
    expect(after.positions).toEqual([{ symbol: 'BTCUSDT', unrealizedPnl: '-2000' }]);
    expect(after.wallets.find((w) => w.type === 'PORTFOLIO_MARGIN')!.balances).toContainEqual({
      asset: 'BTC',
      net: '0.5',
      valueUsd: '40000',
    });
    expect(after.risk!.accountEquity).not.toBe(before.risk!.accountEquity);
    await publishPrices(suite.t, suite.op, { BTC: '90000', BTCUSDT: '90000' });
    expect(await read()).toEqual(before);
  });

  it('answers as a fresh database read does, for random accounts after random operations on two instances', async () => {
    const peer = await startPeer(suite.t);
    const fresh = await startTestApp(backend, { instanceOf: suite.t, env: { READ_MODEL_ACCOUNTS: '0' } });
    const random = seededRandom(10);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    try {
      const accounts = [
        await pmAccount(suite.t, { USDT: '30000', BTC: '1' }),
        await pmAccount(suite.t, { USDT: '12000', ETH: '3' }),
        await pmAccount(suite.t, { USDT: '200000' }),
        await fundedAccount(suite.t, { USDT: '150000', BTC: '0.3' }, 2),
        await fundedAccount(suite.t, { USDT: '500' }),
      ];
      const instances: Gql[] = [suite.t.gql, peer.gql];
      const mark = { BTC: 90000, ETH: 3000 };
      const operations: ((a: { id: string; token: string }, gql: Gql) => Promise<unknown>)[] = [
        (a, gql) =>
          transfer(
            { ...suite.t, gql },
            a.token,
            'USDT',
            pick(['10', '300.25']),
            pick(['SPOT', 'PORTFOLIO_MARGIN', 'CROSS_MARGIN']),
            pick(['SPOT', 'PORTFOLIO_MARGIN', 'USDM_FUTURES']),
          ),
        (a, gql) =>
          gql(
            DEPOSIT,
            { accountId: a.id, asset: pick(['USDT', 'BTC']), amount: '0.75', key: newKey('d') },
            suite.op,
          ),
        (a, gql) =>
          gql(WITHDRAW, { accountId: a.id, asset: 'USDT', amount: '20', key: newKey('w') }, suite.op),
        (a, gql) =>
          gql(
            BORROW,
            { input: { asset: pick(['USDT', 'BTC']), amount: '0.5', idempotencyKey: newKey('b') } },
            a.token,
          ),
        (a, gql) =>
          gql(
            REPAY,
            { input: { asset: pick(['USDT', 'BTC']), amount: '0.25', idempotencyKey: newKey('r') } },
            a.token,
          ),
        (a, gql) =>
          gql(
            'mutation($input: FillInput!) { applyFill(input: $input) { symbol } }',
            {
              input: {
                fillId: newKey('f'),
                accountId: a.id,
                symbol: pick(['BTCUSDT', 'ETHUSD_PERP']),
                side: pick(['BUY', 'SELL']),
                quantity: '0.1',
                price: String(mark.BTC),
              },
            },
            suite.op,
          ),
        (a, gql) => gql(ACTIVATE, { answers: RIGHT_ANSWERS }, a.token),
        (a, gql) =>
          gql(
            'mutation($key: String) { deactivatePortfolioMargin(dryRun: false, idempotencyKey: $key) { __typename } }',
            { key: newKey('x') },
            a.token,
          ),
        (a, gql) =>
          gql(
            'mutation($id: ID!, $v: Int!) { setVipLevel(accountId: $id, vipLevel: $v) { id } }',
            { id: a.id, v: pick([0, 3]) },
            suite.op,
          ),
        (a, gql) =>
          gql(
            'mutation($l: Decimal) { setMarginCallLevel(level: $l) { id } }',
            { l: pick([null, '1.5']) },
            a.token,
          ),
        async (_a, gql) => {
          mark.BTC = Math.round(mark.BTC * (0.97 + random() * 0.06));
          await gql('mutation { accrueInterest }', {}, suite.op);
          return publishPrices(suite.t, suite.op, { BTC: String(mark.BTC), BTCUSDT: String(mark.BTC) });
        },
      ];
      let checks = 0;
      const sameAnswers = async () => {
        const asset = ++checks % 2 === 0 ? 'BTC' : 'USDT';
        // The fresh instance and the peer get the prices A has (on SQLite no bus carries them between instances).
        const points = [...suite.t.app.services.prices.snapshot.values()];
        for (const app of [peer.app, fresh.app]) app.services.prices.snapshot.write(points);
        for (const a of accounts) {
          const expected = await fresh.gql(ANY_ACCOUNT, { id: a.id, asset }, suite.op);
          const own = await fresh.gql(OWN_ACCOUNT, { asset }, a.token);
          expect(own.data?.me).toEqual(
            expected.data?.account && { __typename: 'Account', ...expected.data.account },
          );
          for (const gql of instances) {
            expect(await gql(ANY_ACCOUNT, { id: a.id, asset }, suite.op)).toEqual(expected);
            // Twice: the second is answered whole from what the first left with the account's state.
            expect(await gql(OWN_ACCOUNT, { asset }, a.token)).toEqual(own);
            expect(await gql(OWN_ACCOUNT, { asset }, a.token)).toEqual(own);
          }
        }
      };
      await sameAnswers();
      for (let round = 0; round < 48; round++) {
        await pick(operations)(pick(accounts), pick(instances));
        if (round % 4 === 3) await sameAnswers();
      }
      await sameAnswers();
      expect(suite.t.app.services.readModel.size).toBeGreaterThanOrEqual(accounts.length);
      expect(fresh.app.services.readModel.size).toBe(0);
    } finally {
      await fresh.stop();
      await peer.stop();
    }
  }, 240_000);
});
