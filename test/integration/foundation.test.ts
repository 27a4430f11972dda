import { dec } from '../../src/lib/decimal';
import { post, EXTERNAL } from '../../src/services/ledger/movements';
import { AccountEntity, WalletBalanceEntity } from '../../src/entities';
import { backends } from '../helpers/backends';
import { repeatUntil, startTestApp, takeEvents, type TestApp } from '../helpers/test-app';

const EXACT = '123456789012345678.123456789012345678';

describe.each(backends())('foundation on $name', (backend) => {
  let t: TestApp;
  let accountA: string;
  let accountB: string;

  beforeAll(async () => {
    t = await startTestApp(backend);
    const repo = t.db.ds.getRepository(AccountEntity);
    const now = new Date();
    accountA = (await repo.save({ vipLevel: 0, mode: 'CLASSIC', createdAt: now, activatedAt: null })).id;
    accountB = (await repo.save({ vipLevel: 3, mode: 'CLASSIC', createdAt: now, activatedAt: null })).id;
    await t.db.ds.transaction((em) =>
      post(em, { accountId: accountB, kind: 'DEPOSIT', reference: 'test', at: now }, [
        { wallet: EXTERNAL, asset: 'USDT', field: 'free', amount: dec('-777') },
        { wallet: 'SPOT', asset: 'USDT', field: 'free', amount: dec('777') },
      ]),
    );
  });
  afterAll(() => t?.stop());

  it('serves the public catalogue without credentials', async () => {
    const res = await t.gql<{
      assets: { symbol: string; collateralTiers: unknown[] }[];
      symbols: { symbol: string; brackets: { cum: string }[] }[];
      prices: { symbol: string; price: string }[];
      activationQuiz: { id: string; options: { id: string }[] }[];
    }>(
      '{ assets { symbol collateralTiers { floor cap rate } } symbols { symbol brackets { cum } } prices { symbol price } activationQuiz { id options { id } } }',
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.assets.map((a) => a.symbol)).toEqual(['USDT', 'USDC', 'BTC', 'ETH', 'BNB', 'SOL']);
    expect(res.data!.symbols.find((s) => s.symbol === 'BTCUSDT')!.brackets[2].cum).toBe('1300');
    expect(res.data!.prices.find((p) => p.symbol === 'BTC')!.price).toBe('90000');
    expect(res.data!.activationQuiz).toHaveLength(5);
  });

  it('never serves quiz answers', async () => {
    const res = await t.gql('{ activationQuiz { id answer } }');
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses me without a token, with a bad token and with an expired token', async () => {
    expect((await t.gql('{ me { id } }')).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await t.gql('{ me { id } }', {}, 'not-a-jwt')).errors?.[0].extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    const expired = await t.app.services.tokens.sign(
      { role: 'user', sub: accountA },
      Math.floor(Date.now() / 1000) - 10,
    );
    const res = await t.gql('{ me { id } }', {}, expired);
    expect(res.errors?.[0]).toMatchObject({
      message: 'Token expired',
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it("shows account A its own data and never account B's", async () => {
    const tokenA = await t.userToken(accountA);
    const me = await t.gql<{ me: { id: string; wallets: { type: string; balances: unknown[] }[] } }>(
      '{ me { id vipLevel mode wallets { type balances { asset free } totalValueUsd } } }',
      {},
      tokenA,
    );
    expect(me.data!.me.id).toBe(accountA);
    expect(me.data!.me.wallets.map((w) => w.type)).toEqual([
      'SPOT',
      'CROSS_MARGIN',
      'USDM_FUTURES',
      'COINM_FUTURES',
    ]);
    expect(me.data!.me.wallets.every((w) => w.balances.length === 0)).toBe(true);

    const other = await t.gql(
      'query($id: ID!) { account(id: $id) { id wallets { balances { free } } } }',
      { id: accountB },
      tokenA,
    );
    expect(other.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(other)).not.toContain('777');

    const list = await t.gql('{ accounts { nodes { id } } }', {}, tokenA);
    expect(list.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('lets an operator read any account and page through accounts', async () => {
    const op = await t.operatorToken();
    const res = await t.gql<{ account: { id: string; wallet: { balances: { free: string }[] } } }>(
      'query($id: ID!) { account(id: $id) { id wallet(type: SPOT) { balances { free } } } }',
      { id: accountB },
      op,
    );
    expect(res.data!.account.wallet.balances[0].free).toBe('777');
    const page1 = await t.gql<{
      accounts: { nodes: { id: string }[]; pageInfo: { endCursor: string; hasNextPage: boolean } };
    }>('{ accounts(first: 1) { nodes { id } pageInfo { endCursor hasNextPage } } }', {}, op);
    expect(page1.data!.accounts.nodes.map((n) => n.id)).toEqual([accountA]);
    expect(page1.data!.accounts.pageInfo.hasNextPage).toBe(true);
    const page2 = await t.gql<{ accounts: { nodes: { id: string }[] } }>(
      'query($after: String) { accounts(first: 1, after: $after) { nodes { id } } }',
      { after: page1.data!.accounts.pageInfo.endCursor },
      op,
    );
    expect(page2.data!.accounts.nodes.map((n) => n.id)).toEqual([accountB]);
    for (const first of [0, 201, -1]) {
      const bad = await t.gql(`{ accounts(first: ${first}) { nodes { id } } }`, {}, op);
      expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
    const badCursor = await t.gql('{ accounts(after: "zzz") { nodes { id } } }', {}, op);
    expect(badCursor.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it(`stores and reads back ${EXACT} exactly`, async () => {
    const now = new Date();
    await t.db.ds.transaction((em) =>
      post(em, { accountId: accountA, kind: 'DEPOSIT', reference: 'exact', at: now }, [
        { wallet: EXTERNAL, asset: 'USDC', field: 'free', amount: dec(EXACT).neg() },
        { wallet: 'SPOT', asset: 'USDC', field: 'free', amount: dec(EXACT) },
      ]),
    );
    const row = await t.db.ds
      .getRepository(WalletBalanceEntity)
      .findOneByOrFail({ accountId: accountA, wallet: 'SPOT', asset: 'USDC' });
    expect(row.free.toFixed()).toBe(EXACT);
    const res = await t.gql<{ me: { wallet: { balances: { asset: string; free: string; net: string }[] } } }>(
      '{ me { wallet(type: SPOT) { balances { asset free net } } } }',
      {},
      await t.userToken(accountA),
    );
    expect(res.data!.me.wallet.balances.find((b) => b.asset === 'USDC')).toMatchObject({
      free: EXACT,
      net: EXACT,
    });
  });

  it('lets only operators publish prices, validates them, and pushes them over graphql-ws', async () => {
    const user = await t.gql(
      'mutation { publishPrices(prices: [{ symbol: "BTC", price: "1" }]) }',
      {},
      await t.userToken(accountA),
    );
    expect(user.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const op = await t.operatorToken();
    for (const price of ['abc', '-1', '0', '1e5', ' 1', '1.0000000000000000001', '10000000000000001']) {
      const bad = await t.gql(
        'mutation($p: Decimal!) { publishPrices(prices: [{ symbol: "BTC", price: $p }]) }',
        { p: price },
        op,
      );
      expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
    const unknown = await t.gql(
      'mutation { publishPrices(prices: [{ symbol: "DOGE", price: "1" }]) }',
      {},
      op,
    );
    expect(unknown.errors?.[0].extensions?.code).toBe('UNKNOWN_SYMBOL');

    const client = t.wsClient();
    const events = takeEvents<{ prices: { symbol: string; price: string } }>(
      client,
      'subscription { prices(symbols: ["ETH"]) { symbol price updatedAt } }',
      {},
      1,
    );
    let next = 3100;
    const [event] = await repeatUntil(events, () =>
      t.gql(
        'mutation($p: Decimal!) { publishPrices(prices: [{ symbol: "ETH", price: $p }]) }',
        { p: String(next++) },
        op,
      ),
    );
    expect(event.prices.symbol).toBe('ETH');
    expect(Number(event.prices.price)).toBeGreaterThanOrEqual(3100);
    const prices = await t.gql<{ prices: { symbol: string; price: string }[] }>(
      '{ prices { symbol price } }',
    );
    expect(prices.data!.prices.find((p) => p.symbol === 'ETH')!.price).toBe(String(next - 1));
  });

  it('closes a graphql-ws connection with bad credentials', async () => {
    const client = t.wsClient({ authorization: 'Bearer nope' });
    await expect(
      takeEvents(client, 'subscription { prices(symbols: ["BTC"]) { price } }', {}, 1, 5000),
    ).rejects.toBeDefined();
  });

  it('serves partner API keys: shown once, scoped, revocable', async () => {
    const tokenA = await t.userToken(accountA);
    const created = await t.gql<{
      createApiKey: { apiKey: { id: string; scopes: string[] }; secret: string };
    }>(
      'mutation { createApiKey(label: "partner", scopes: [READ]) { apiKey { id scopes } secret } }',
      {},
      tokenA,
    );
    const { apiKey, secret } = created.data!.createApiKey;
    expect(apiKey.scopes).toEqual(['READ']);
    const asKey = (query: string) => t.gql<{ me: { id: string } }>(query, {}, null, { 'x-api-key': secret });
    expect((await asKey('{ me { id } }')).data!.me.id).toBe(accountA);
    const refused = await asKey(
      'mutation { transfer(input: { asset: "USDT", amount: "1", from: SPOT, to: CROSS_MARGIN, idempotencyKey: "k1" }) { id } }',
    );
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(
      (await asKey('mutation { createApiKey(label: "x", scopes: [TRANSFER]) { secret } }')).errors?.[0]
        .extensions?.code,
    ).toBe('FORBIDDEN');
    const tokenB = await t.userToken(accountB);
    const notMine = await t.gql('mutation($id: ID!) { revokeApiKey(id: $id) }', { id: apiKey.id }, tokenB);
    expect(notMine.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(
      (
        await t.gql<{ revokeApiKey: boolean }>(
          'mutation($id: ID!) { revokeApiKey(id: $id) }',
          { id: apiKey.id },
          tokenA,
        )
      ).data!.revokeApiKey,
    ).toBe(true);
    expect((await asKey('{ me { id } }')).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers a bad document with a typed error and no internals', async () => {
    const parse = await t.gql('{ assets { symbol ');
    expect(parse.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const res = await t.gql('{ nope }');
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(res)).not.toMatch(/stacktrace|at .*\.ts:/);
  });
});
