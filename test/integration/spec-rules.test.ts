import { dec } from '../../src/lib/decimal';
import { backends } from '../helpers/backends';
import {
  applyFill,
  code,
  FILL,
  fundedAccount,
  newKey,
  pmAccount,
  publishPrices,
  transfer,
} from '../helpers/money';
import { auditedTestApp } from '../helpers/suite';

type Risk = {
  uniMMR: string | null;
  status: string;
  accountEquity: string;
  accountMaintMargin: string;
  accountInitialMargin: string;
  usdt: string;
  btc: string;
  assets: { asset: string; equity: string; maintMarginUsd: string }[];
};
const RISK = `{ me { risk { uniMMR status accountEquity accountMaintMargin accountInitialMargin
  usdt: maxWithdraw(asset: "USDT") btc: maxWithdraw(asset: "BTC") assets { asset equity maintMarginUsd } }
  liquidationPrices { asset currentPrice liquidationPrice } } }`;
type RiskAnswer = {
  me: {
    risk: Risk;
    liquidationPrices: { asset: string; currentPrice: string; liquidationPrice: string | null }[];
  };
};

/** At most 18 decimals in plain notation (spec 3, "Numbers on the wire"). */
const WIRE = /^-?\d+(\.\d{1,18})?$/;

/** Spec 3 and 4 as updated: negative balances, maxWithdraw's strict bound, wire numbers, refusal order, ranges. */
describe.each(backends())('spec rules through the API on $name', (backend) => {
  const suite = auditedTestApp(backend);

  const risk = async (token: string) => (await suite.t.gql<RiskAnswer>(RISK, {}, token)).data!.me;

  it('gives an account whose only exposure is -80,000 USDT loan margin, a uniMMR and a status', async () => {
    const { t, op } = suite;
    const a = await pmAccount(t, { USDT: '1000', BTC: '1' });
    await applyFill(t, op, a.id, 'BTCUSDT', 'BUY', '1', '90000');
    // Closed at 9,000: realised 1 x (9,000 - 90,000) = -81,000, so free USDT = 1,000 - 81,000 = -80,000.
    await applyFill(t, op, a.id, 'BTCUSDT', 'SELL', '1', '9000');
    const me = await risk(a.token);
    // accountEquity = 1 x 90,000 x 0.95 - 80,000 = 5,500; MM = 80,000 x 0.10 = 8,000; IM = 80,000 / (5 - 1)
    expect(me.risk).toMatchObject({
      accountEquity: '5500',
      accountMaintMargin: '8000',
      accountInitialMargin: '20000',
      uniMMR: '0.6875',
      status: 'BANKRUPTED',
      usdt: '0',
      btc: '0',
    });
    expect(me.risk.assets.find((x) => x.asset === 'USDT')).toEqual({
      asset: 'USDT',
      equity: '-80000',
      maintMarginUsd: '8000',
    });
    // At or below 1.05 the liquidation price is exactly the current index price.
    expect(me.liquidationPrices).toEqual([
      { asset: 'BTC', currentPrice: '90000', liquidationPrice: '90000' },
      { asset: 'USDT', currentPrice: '1', liquidationPrice: '1' },
    ]);
    // Refusal order (spec 4): status before balance, so an oversized transfer out is REDUCE_ONLY.
    expect(code(await transfer(t, a.token, 'BTC', '5', 'PORTFOLIO_MARGIN', 'SPOT'))).toBe('REDUCE_ONLY');
    expect(code(await transfer(t, a.token, 'BTC', '0.1', 'PORTFOLIO_MARGIN', 'SPOT'))).toBe('REDUCE_ONLY');
  });

  it('keeps maxWithdraw strictly above 1.2 x MM, so withdrawing it never lands on REDUCE_ONLY', async () => {
    const { t, op } = suite;
    const a = await pmAccount(t, { USDT: '500' });
    await applyFill(t, op, a.id, 'BTCUSDT', 'BUY', '1', '90000');
    // MM = 90,000 x 0.005 - 50 = 400; accountEquity 500 must stay > 480: 20 would make uniMMR exactly 1.2.
    expect((await risk(a.token)).risk.usdt).toBe('19.99999999');
    expect(code(await transfer(t, a.token, 'USDT', '20', 'PORTFOLIO_MARGIN', 'SPOT'))).toBe(
      'MARGIN_REQUIREMENT',
    );
    expect(code(await transfer(t, a.token, 'USDT', '600', 'PORTFOLIO_MARGIN', 'SPOT'))).toBe(
      'INSUFFICIENT_BALANCE',
    );
    expect(
      (await transfer(t, a.token, 'USDT', '19.99999999', 'PORTFOLIO_MARGIN', 'SPOT')).errors,
    ).toBeUndefined();
    const after = (await risk(a.token)).risk;
    expect(after.status).toBe('SUPPLY_MARGIN');
    expect(after.accountEquity).toBe('480.00000001');
  });

  it('prints every wallet and liquidation figure with at most 18 decimals, half-even', async () => {
    const { t, op } = suite;
    const a = await pmAccount(t, { SOL: '0.12345679', USDT: '1000' });
    await applyFill(t, op, a.id, 'SOLUSDT', 'BUY', '70', '150');
    const sol = '150.123456789012345678';
    await publishPrices(t, op, { SOL: sol, SOLUSDT: sol });
    try {
      const res = await t.gql<{
        me: {
          wallets: { type: string; totalValueUsd: string; balances: { asset: string; valueUsd: string }[] }[];
          liquidationPrices: { asset: string; liquidationPrice: string | null }[];
        };
      }>(
        '{ me { wallets { type totalValueUsd balances { asset valueUsd } } liquidationPrices { asset liquidationPrice } } }',
        {},
        a.token,
      );
      const pm = res.data!.me.wallets.find((w) => w.type === 'PORTFOLIO_MARGIN')!;
      const exact = dec('0.12345679').times(sol);
      expect(exact.decimalPlaces()).toBe(26);
      expect(pm.balances.find((b) => b.asset === 'SOL')!.valueUsd).toBe(
        exact.toDecimalPlaces(18, 6).toFixed(),
      );
      expect(pm.totalValueUsd).toBe(exact.plus(1000).toDecimalPlaces(18, 6).toFixed());
      const liquidation = res.data!.me.liquidationPrices.find((l) => l.asset === 'SOL')!.liquidationPrice;
      expect(liquidation).toMatch(WIRE);
      for (const value of [pm.totalValueUsd, ...pm.balances.map((b) => b.valueUsd)])
        expect(value).toMatch(WIRE);
    } finally {
      await publishPrices(t, op, { SOL: '150', SOLUSDT: '150' });
    }
  });

  it('simulates a fill exactly as the real fill books it (rounded PnL and entry)', async () => {
    const { t, op } = suite;
    const a = await pmAccount(t, { ETH: '10' });
    await applyFill(t, op, a.id, 'ETHUSD_PERP', 'BUY', '3', '3000');
    await applyFill(t, op, a.id, 'ETHUSD_PERP', 'BUY', '1', '7000');
    const fill = { accountId: a.id, symbol: 'ETHUSD_PERP', side: 'SELL', quantity: '1', price: '3333' };
    const simulated = await t.gql<{
      me: { simulateRisk: { accountEquity: string; assets: { equity: string }[] } };
    }>(
      'query($s: ScenarioInput!) { me { simulateRisk(scenario: $s) { accountEquity assets { asset equity } } } }',
      { s: { fills: [{ ...fill, fillId: 'what-if' }] } },
      a.token,
    );
    expect(simulated.errors).toBeUndefined();
    const real = await t.gql(FILL, { input: { ...fill, fillId: newKey('f') } }, op);
    expect(real.errors).toBeUndefined();
    const after = await t.gql<{ me: { risk: { accountEquity: string; assets: { equity: string }[] } } }>(
      '{ me { risk { accountEquity assets { asset equity } } } }',
      {},
      a.token,
    );
    expect(simulated.data!.me.simulateRisk).toEqual(after.data!.me.risk);
    // Entry 4 / (3/3000 + 1/7000) = 3500; realised 1 x 10 x (1/3500 - 1/3333) ETH = -0.00014316 (8 decimals)
    const wallets = await t.gql<{ me: { wallet: { balances: { asset: string; free: string }[] } } }>(
      '{ me { wallet(type: PORTFOLIO_MARGIN) { balances { asset free } } } }',
      {},
      a.token,
    );
    expect(wallets.data!.me.wallet.balances.find((b) => b.asset === 'ETH')!.free).toBe('9.99985684');
  });

  it('refuses a fill whose notional, PnL or balance would not fit DECIMAL(36,18) as BAD_USER_INPUT, writing nothing', async () => {
    const { t, op } = suite;
    // CLASSIC: no REDUCE_ONLY check, so losses can pile up in USDM_FUTURES.
    const a = await fundedAccount(t, {});
    const fill = (side: string, quantity: string, price: string) =>
      t.gql(
        FILL,
        { input: { fillId: newKey('f'), accountId: a.id, symbol: 'BTCUSDT', side, quantity, price } },
        op,
      );
    // notional 10^15 x 10^15 = 10^30
    expect(code(await fill('BUY', '1000000000000000', '1000000000000000'))).toBe('BAD_USER_INPUT');
    // 10^8 BTC at 9 x 10^9 (notional 9 x 10^17 fits), sold at 10^-18: realised -9 x 10^17 (8 decimals, half-even)
    expect((await fill('BUY', '100000000', '9000000000')).errors).toBeUndefined();
    expect((await fill('SELL', '100000000', '0.000000000000000001')).errors).toBeUndefined();
    expect((await fill('BUY', '100000000', '9000000000')).errors).toBeUndefined();
    // The same loss again would take free USDT to -1.8 x 10^18: refused before any write.
    expect(code(await fill('SELL', '100000000', '0.000000000000000001'))).toBe('BAD_USER_INPUT');
    const me = await t.gql<{
      me: { positions: { quantity: string }[]; wallet: { balances: { asset: string; free: string }[] } };
    }>(
      '{ me { positions { quantity } wallet(type: USDM_FUTURES) { balances { asset free } } } }',
      {},
      a.token,
    );
    expect(me.data!.me.positions).toEqual([{ quantity: '100000000' }]);
    expect(me.data!.me.wallet.balances).toEqual([{ asset: 'USDT', free: '-900000000000000000' }]);
  });
});
