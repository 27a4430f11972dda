import { dec } from '../../src/lib/decimal';
import { backends } from '../helpers/backends';
import { code, fundedAccount, pmAccount, transfer, applyFill } from '../helpers/money';
import { suiteTestApp } from '../helpers/suite';

type RiskData = {
  uniMMR: string | null;
  status: string;
  accountEquity: string;
  actualEquity: string;
  accountMaintMargin: string;
  accountInitialMargin: string;
  availableBalance: string;
  maxWithdrawUsd: string;
  assets: {
    asset: string;
    equity: string;
    valueUsd: string;
    collateralValueUsd: string;
    maintMarginUsd: string;
  }[];
};
const RISK_FIELDS =
  'uniMMR status accountEquity actualEquity accountMaintMargin accountInitialMargin availableBalance maxWithdrawUsd assets { asset equity valueUsd collateralValueUsd maintMarginUsd }';

describe.each(backends())('risk through the API on $name', (backend) => {
  const suite = suiteTestApp(backend);

  async function leveraged() {
    const a = await pmAccount(suite.t, { USDT: '10000', BTC: '0.1' });
    await applyFill(suite.t, suite.op, a.id, 'BTCUSDT', 'BUY', '1', '90000');
    await applyFill(suite.t, suite.op, a.id, 'ETHUSD_PERP', 'SELL', '100', '3000');
    return a;
  }

  it('serves the unified risk with every formula of spec section 3', async () => {
    const a = await leveraged();
    const res = await suite.t.gql<{
      me: { risk: RiskData; positions: { symbol: string; notional: string; maintenanceMarginUsd: string }[] };
    }>(
      `{ me { risk { ${RISK_FIELDS} } positions { symbol notional unrealizedPnl maintenanceMarginUsd initialMarginUsd } } }`,
      {},
      a.token,
    );
    const risk = res.data!.me.risk;
    // USDT 10,000 at 1; BTC 0.1 x 90,000 x 0.95 = 8,550; ETH: no balance, no PnL at entry = mark.
    expect(risk.accountEquity).toBe('18550');
    expect(risk.actualEquity).toBe('19000');
    // BTCUSDT 90,000 notional: 90,000 x 0.005 - 50 = 400; ETHUSD_PERP 100 x 10 / 3,000 = 1/3 ETH x 0.005 x 3,000 = 5.
    expect(dec(risk.accountMaintMargin).toDecimalPlaces(10).toFixed()).toBe('405');
    expect(risk.status).toBe('NORMAL');
    expect(dec(risk.uniMMR!).toDecimalPlaces(10).toFixed()).toBe(
      dec(18550).div(405).toDecimalPlaces(10).toFixed(),
    );
    expect(dec(risk.maxWithdrawUsd).toDecimalPlaces(10).toFixed()).toBe('18064');
    expect(res.data!.me.positions.map((p) => p.symbol)).toEqual(['BTCUSDT', 'ETHUSD_PERP']);
  });

  it('gives each asset the index price at which uniMMR reaches 1.05, checked by a what-if at that price', async () => {
    const a = await leveraged();
    const res = await suite.t.gql<{
      me: { liquidationPrices: { asset: string; currentPrice: string; liquidationPrice: string | null }[] };
    }>('{ me { liquidationPrices { asset currentPrice liquidationPrice } } }', {}, a.token);
    const btc = res.data!.me.liquidationPrices.find((p) => p.asset === 'BTC')!;
    expect(btc.currentPrice).toBe('90000');
    expect(btc.liquidationPrice).not.toBeNull();
    const price = dec(btc.liquidationPrice!);
    expect(price.lt(90000)).toBe(true);
    const at = await suite.t.gql<{ me: { simulateRisk: { uniMMR: string } } }>(
      'query($p: Decimal!) { me { simulateRisk(scenario: { prices: [{ symbol: "BTC", price: $p }, { symbol: "BTCUSDT", price: $p }] }) { uniMMR } } }',
      { p: price.toDecimalPlaces(18).toFixed() },
      a.token,
    );
    expect(dec(at.data!.me.simulateRisk.uniMMR).minus('1.05').abs().div('1.05').lt('1e-8')).toBe(true);
  });

  it('simulates without changing anything, and refuses impossible scenarios', async () => {
    const a = await leveraged();
    const before = await suite.t.gql(
      '{ me { risk { accountEquity } wallets { balances { asset free } } positions { quantity } } }',
      {},
      a.token,
    );
    const sim = await suite.t.gql<{ me: { simulateRisk: RiskData } }>(
      `{ me { simulateRisk(scenario: {
          prices: [{ symbol: "BTC", change: "-0.1" }],
          transfers: [{ asset: "USDT", amount: "1000", from: PORTFOLIO_MARGIN, to: SPOT, idempotencyKey: "x" }],
          borrows: [{ asset: "USDT", amount: "500", idempotencyKey: "y" }],
          fills: [{ fillId: "z", accountId: "${a.id}", symbol: "BTCUSDT", side: SELL, quantity: "0.5", price: "90000" }]
        }) { ${RISK_FIELDS} } } }`,
      {},
      a.token,
    );
    expect(sim.errors).toBeUndefined();
    // USDT 10,000 - 1,000 (a loan adds to free and to debt alike) - 0.00225 first-hour interest; BTC 0.1 x 81,000 x 0.95.
    expect(sim.data!.me.simulateRisk.assets.find((x) => x.asset === 'USDT')!.equity).toBe('8999.99775');
    expect(sim.data!.me.simulateRisk.assets.find((x) => x.asset === 'BTC')!.collateralValueUsd).toBe('7695');
    const after = await suite.t.gql(
      '{ me { risk { accountEquity } wallets { balances { asset free } } positions { quantity } } }',
      {},
      a.token,
    );
    expect(after.data).toEqual(before.data);
    const tooMuch = await suite.t.gql(
      '{ me { simulateRisk(scenario: { transfers: [{ asset: "USDT", amount: "99999", from: PORTFOLIO_MARGIN, to: SPOT, idempotencyKey: "x" }] }) { uniMMR } } }',
      {},
      a.token,
    );
    expect(code(tooMuch)).toBe('INSUFFICIENT_BALANCE');
    const both = await suite.t.gql(
      '{ me { simulateRisk(scenario: { prices: [{ symbol: "BTC", change: "0.1", price: "1" }] }) { uniMMR } } }',
      {},
      a.token,
    );
    expect(code(both)).toBe('BAD_USER_INPUT');
    const crash = await suite.t.gql(
      '{ me { simulateRisk(scenario: { prices: [{ symbol: "BTC", change: "-1" }] }) { uniMMR } } }',
      {},
      a.token,
    );
    expect(code(crash)).toBe('BAD_USER_INPUT');
  });

  it('previews activation and explains non-eligibility for CLASSIC accounts', async () => {
    const small = await fundedAccount(suite.t, { USDT: '5000', BTC: '0.5' });
    await transfer(suite.t, small.token, 'BTC', '0.5', 'SPOT', 'CROSS_MARGIN');
    const res = await suite.t.gql<{
      me: {
        risk: null;
        activationPreview: { accountEquity: string; status: string };
        eligibility: {
          eligible: boolean;
          qualifyingBalanceUsd: string;
          requiredBalanceUsd: string;
          reasons: string[];
        };
      };
    }>(
      '{ me { risk { uniMMR } activationPreview { accountEquity status } eligibility { eligible qualifyingBalanceUsd requiredBalanceUsd reasons } } }',
      {},
      small.token,
    );
    expect(res.data!.me.risk).toBeNull();
    expect(res.data!.me.activationPreview).toEqual({ accountEquity: '42750', status: 'NORMAL' });
    expect(res.data!.me.eligibility).toMatchObject({
      eligible: false,
      qualifyingBalanceUsd: '45000',
      requiredBalanceUsd: '100000',
    });
    expect(res.data!.me.eligibility.reasons.length).toBeGreaterThan(0);
  });

  it('answers maxWithdraw per asset, exactly at the precision', async () => {
    const a = await leveraged();
    const res = await suite.t.gql<{ me: { risk: { usdt: string; btc: string } } }>(
      '{ me { risk { usdt: maxWithdraw(asset: "USDT") btc: maxWithdraw(asset: "BTC") } } }',
      {},
      a.token,
    );
    expect(res.data!.me.risk.usdt).toBe('10000');
    expect(res.data!.me.risk.btc).toBe('0.1');
    expect(code(await suite.t.gql('{ me { risk { maxWithdraw(asset: "DOGE") } } }', {}, a.token))).toBe(
      'UNKNOWN_ASSET',
    );
  });

  it('refuses to compute risk without a price: PRICE_UNAVAILABLE, never a wrong number', async () => {
    const a = await leveraged();
    const snapshot = suite.t.app.services.prices.snapshot;
    const held = snapshot.forget('ETHUSD_PERP');
    try {
      const res = await suite.t.gql('{ me { risk { uniMMR } } }', {}, a.token);
      expect(code(res)).toBe('PRICE_UNAVAILABLE');
      expect(JSON.stringify(res)).not.toMatch(/uniMMR":"/);
    } finally {
      if (held) snapshot.write([held]);
    }
  });
});
