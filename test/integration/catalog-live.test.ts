import { backends } from '../helpers/backends';
import { untilCatalogVersion } from '../helpers/catalog';
import { code, DEPOSIT, FILL, newKey, pmAccount, TRANSFER } from '../helpers/money';
import { startPeer, subscribe, type TestApp } from '../helpers/test-app';
import { suiteTestApp } from '../helpers/suite';

const UPSERT_ASSET = `mutation($input: AssetInput!) {
  upsertAsset(input: $input) { symbol precision collateralTiers { floor cap rate } loanMMR marginLeverage } }`;
const UPSERT_SYMBOL = `mutation($input: SymbolInput!) {
  upsertSymbol(input: $input) { symbol contractType base settle brackets { floor cap mmr cum maxLeverage } } }`;
const RISK = `{ me { risk { accountEquity accountMaintMargin assets { asset collateralValueUsd } } positions { symbol } } }`;
const MARGIN_RATIO = 'subscription { marginRatio { risk { accountEquity } } }';

const XRP = {
  symbol: 'XRP',
  precision: 4,
  collateralTiers: [
    { floor: '0', cap: '1000000', rate: '0.8' },
    { floor: '1000000', cap: null, rate: '0.5' },
  ],
  loanMMR: '0.1',
  marginLeverage: 3,
  hourlyInterestRate: '0.000002',
  borrowLimit: '100000',
};
const XRPUSDT = {
  symbol: 'XRPUSDT',
  contractType: 'UM',
  base: 'XRP',
  settle: 'USDT',
  defaultLeverage: 10,
  brackets: [
    { floor: '0', cap: '10000', mmr: '0.01', maxLeverage: 50 },
    { floor: '10000', cap: null, mmr: '0.025', maxLeverage: 20 },
  ],
};

describe.each(backends())('the catalogue as live data on $name', (backend) => {
  const suite = suiteTestApp(backend);

  const version = async (gql: TestApp['gql']) =>
    (await gql<{ catalogVersion: number }>('{ catalogVersion }')).data!.catalogVersion;

  it('an asset and a UM symbol added on one instance trade on another once it reports the version', async () => {
    const peer = await startPeer(suite.t);
    try {
      const a = await pmAccount(suite.t, { USDT: '200000' });
      const asset = await suite.t.gql(UPSERT_ASSET, { input: XRP }, suite.op);
      expect(asset.errors).toBeUndefined();
      const symbol = await suite.t.gql<{ upsertSymbol: { brackets: { cum: string }[] } }>(
        UPSERT_SYMBOL,
        { input: XRPUSDT },
        suite.op,
      );
      expect(symbol.data!.upsertSymbol.brackets.map((b) => b.cum)).toEqual(['0', '150']);
      expect(code(await suite.t.gql(UPSERT_ASSET, { input: XRP }, a.token))).toBe('FORBIDDEN');
      await untilCatalogVersion(peer.gql, await version(suite.t.gql));

      const on = peer.gql;
      const prices = await on(
        'mutation { publishPrices(prices: [{ symbol: "XRP", price: "2" }, { symbol: "XRPUSDT", price: "2" }]) }',
        {},
        suite.op,
      );
      expect(prices.errors).toBeUndefined();
      const dep = await on(
        DEPOSIT,
        { accountId: a.id, asset: 'XRP', amount: '10000', key: newKey() },
        suite.op,
      );
      expect(dep.errors).toBeUndefined();
      const tr = await on(
        TRANSFER,
        {
          input: {
            asset: 'XRP',
            amount: '10000',
            from: 'SPOT',
            to: 'PORTFOLIO_MARGIN',
            idempotencyKey: newKey(),
          },
        },
        a.token,
      );
      expect(tr.errors).toBeUndefined();
      const fill = await on(
        FILL,
        {
          input: {
            fillId: newKey(),
            accountId: a.id,
            symbol: 'XRPUSDT',
            side: 'BUY',
            quantity: '1000',
            price: '2',
          },
        },
        suite.op,
      );
      expect(fill.errors).toBeUndefined();
      // 200000 USDT + 10000 XRP x 2 x 0.8; MM of the position: 2000 x 0.01 - 0.
      expect((await on(RISK, {}, a.token)).data).toEqual({
        me: {
          risk: {
            accountEquity: '216000',
            accountMaintMargin: '20',
            assets: expect.arrayContaining([{ asset: 'XRP', collateralValueUsd: '16000' }]),
          },
          positions: [{ symbol: 'XRPUSDT' }],
        },
      });

      // The catalogue's views follow its versions on both instances (each instance keeps one view per entity).
      const xrpRates = async (gql: TestApp['gql']) =>
        (
          await gql<{ assets: { symbol: string; collateralTiers: { rate: string }[] }[] }>(
            '{ assets { symbol collateralTiers { rate } } }',
          )
        )
          .data!.assets.find((x) => x.symbol === 'XRP')!
          .collateralTiers.map((t) => t.rate);
      expect(await xrpRates(on)).toEqual(['0.8', '0.5']);
      expect(await xrpRates(suite.t.gql)).toEqual(['0.8', '0.5']);

      // A change of risk reaches a watcher on the other instance without any move of its own.
      const client = peer.wsClient({ authorization: `Bearer ${a.token}` });
      const live = subscribe<{ marginRatio: { risk: { accountEquity: string } } }>(client, MARGIN_RATIO);
      expect((await live.next()).marginRatio.risk.accountEquity).toBe('216000');
      const cut = await suite.t.gql(
        UPSERT_ASSET,
        { input: { ...XRP, collateralTiers: [{ floor: '0', cap: null, rate: '0.5' }] } },
        suite.op,
      );
      expect(cut.errors).toBeUndefined();
      expect((await live.next()).marginRatio.risk.accountEquity).toBe('210000');
      live.close();
      expect(await xrpRates(on)).toEqual(['0.5']);
      expect(await xrpRates(suite.t.gql)).toEqual(['0.5']);
    } finally {
      await peer.stop();
    }
  });

  it('refuses invalid tiers, brackets, rates and immutable changes by name, and risk stays', async () => {
    const a = await pmAccount(suite.t, { USDT: '200000', BTC: '1' });
    const before = (await suite.t.gql(RISK, {}, a.token)).data;
    const at = await version(suite.t.gql);
    const btc = {
      symbol: 'BTC',
      precision: 8,
      collateralTiers: [{ floor: '0', cap: null, rate: '0.95' }],
      loanMMR: '0.1',
      marginLeverage: 5,
      hourlyInterestRate: '0.0000012',
      borrowLimit: '100',
    };
    const btcusdt = { ...XRPUSDT, symbol: 'BTCUSDT', base: 'BTC' };
    const refusals: [string, Record<string, unknown>, RegExp][] = [
      [
        UPSERT_ASSET,
        {
          ...btc,
          collateralTiers: [
            { floor: '0', cap: '10', rate: '1' },
            { floor: '20', cap: null, rate: '0.9' },
          ],
        },
        /tier 1 starts at 20, expected 10/,
      ],
      [
        UPSERT_ASSET,
        { ...btc, collateralTiers: [{ floor: '5', cap: null, rate: '1' }] },
        /starts at 5, expected 0/,
      ],
      [
        UPSERT_ASSET,
        { ...btc, collateralTiers: [{ floor: '0', cap: null, rate: '1.5' }] },
        /rate must be <= 1/,
      ],
      [UPSERT_ASSET, { ...btc, loanMMR: '1.1' }, /loanMMR must be <= 1/],
      [UPSERT_ASSET, { ...btc, marginLeverage: 1 }, /marginLeverage/],
      [UPSERT_ASSET, { ...btc, hourlyInterestRate: '-0.1' }, /hourlyInterestRate must be >= 0/],
      [UPSERT_ASSET, { ...btc, precision: 6 }, /precision of an existing entry cannot change/],
      [
        UPSERT_SYMBOL,
        {
          ...btcusdt,
          brackets: [
            { floor: '0', cap: '100', mmr: '0.01', maxLeverage: 50 },
            { floor: '50', cap: null, mmr: '0.02', maxLeverage: 20 },
          ],
        },
        /tier 1 starts at 50, expected 100/,
      ],
      [
        UPSERT_SYMBOL,
        { ...btcusdt, brackets: [{ floor: '0', cap: null, mmr: '2', maxLeverage: 50 }] },
        /mmr must be <= 1/,
      ],
      [
        UPSERT_SYMBOL,
        { ...btcusdt, contractType: 'CM', settle: 'BTC', faceValueUsd: '100' },
        /contractType of an existing entry/,
      ],
      [UPSERT_SYMBOL, { ...btcusdt, settle: 'USDC' }, /settle of an existing entry/],
      [
        UPSERT_SYMBOL,
        { ...btcusdt, symbol: 'NEWUSDT', base: 'NOPE' },
        /base and settle must be known assets/,
      ],
    ];
    for (const [mutation, input, rule] of refusals) {
      const res = await suite.t.gql(mutation, { input }, suite.op);
      expect([code(res), res.errors?.[0].message]).toEqual(['BAD_USER_INPUT', expect.stringMatching(rule)]);
    }
    expect((await suite.t.gql(RISK, {}, a.token)).data).toEqual(before);
    expect(await version(suite.t.gql)).toBe(at);
  });
});
