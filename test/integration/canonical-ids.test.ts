import { backends } from '../helpers/backends';
import { code, DEPOSIT, fundedAccount, newKey, pmAccount, WITHDRAW } from '../helpers/money';
import { startTestApp, subscribe, type TestApp } from '../helpers/test-app';

/** Spellings that a lenient parse would read as the account (or key) id itself. */
const twins = (id: string): string[] => [
  `${id}abc`,
  ` ${id}`,
  `${id} `,
  `${id}e0`,
  `0${id}`,
  `+${id}`,
  `${id}.0`,
  '-1',
  '9223372036854775808',
  '',
];

describe.each(backends())('canonical row ids on $name', (backend) => {
  let t: TestApp;
  let op: string;
  let acct: { id: string; token: string };
  beforeAll(async () => {
    t = await startTestApp(backend);
    op = await t.operatorToken();
    acct = await pmAccount(t, { USDT: '1000' });
    await t.gql(DEPOSIT, { accountId: acct.id, asset: 'USDT', amount: '50', key: newKey('d') }, op);
  });
  afterAll(() => t?.stop());

  const spot = async () => {
    const res = await t.gql<{ account: { wallet: { balances: { asset: string; free: string }[] } } }>(
      'query($id: ID!) { account(id: $id) { wallet(type: SPOT) { balances { asset free } } } }',
      { id: acct.id },
      op,
    );
    return JSON.stringify(res.data);
  };

  it('operator deposit and withdraw refuse another spelling of the account id, moving nothing', async () => {
    const before = await spot();
    for (const id of twins(acct.id)) {
      for (const mutation of [DEPOSIT, WITHDRAW]) {
        const res = await t.gql(
          mutation,
          { accountId: id, asset: 'USDT', amount: '1', key: newKey('t') },
          op,
        );
        expect([id, code(res)]).toEqual([id, 'BAD_USER_INPUT']);
      }
    }
    expect(await spot()).toBe(before);
  });

  it('account, setVipLevel, applyFill and revokeApiKey refuse them too', async () => {
    const key = await t.gql<{ createApiKey: { apiKey: { id: string } } }>(
      'mutation { createApiKey(label: "ids", scopes: [READ]) { apiKey { id } } }',
      {},
      acct.token,
    );
    const keyId = key.data!.createApiKey.apiKey.id;
    for (const id of twins(acct.id)) {
      const calls = [
        t.gql('query($id: ID!) { account(id: $id) { id } }', { id }, op),
        t.gql('mutation($id: ID!) { setVipLevel(accountId: $id, vipLevel: 2) { id } }', { id }, op),
        t.gql(
          'mutation($input: FillInput!) { applyFill(input: $input) { quantity } }',
          {
            input: {
              fillId: newKey('f'),
              accountId: id,
              symbol: 'BTCUSDT',
              side: 'BUY',
              quantity: '0.001',
              price: '90000',
            },
          },
          op,
        ),
      ];
      for (const res of await Promise.all(calls)) expect([id, code(res)]).toEqual([id, 'BAD_USER_INPUT']);
    }
    for (const id of twins(keyId)) {
      const res = await t.gql('mutation($id: ID!) { revokeApiKey(id: $id) }', { id }, acct.token);
      expect([id, code(res)]).toEqual([id, 'BAD_USER_INPUT']);
    }
    const keys = await t.gql<{ account: { apiKeys: { id: string; revokedAt: string | null }[] } }>(
      'query($id: ID!) { account(id: $id) { apiKeys { id revokedAt } } }',
      { id: acct.id },
      op,
    );
    expect(keys.data!.account.apiKeys.find((k) => k.id === keyId)?.revokedAt).toBeNull();
  });

  it('a live subscription refuses them', async () => {
    const live = subscribe(
      t.wsClient({ authorization: `Bearer ${op}` }),
      'subscription($id: ID) { marginRatio(accountId: $id) { accountId } }',
      {
        id: `${acct.id}abc`,
      },
    );
    await expect(live.next()).rejects.toThrow(/BAD_USER_INPUT/);
    live.close();
  });

  it('quiz ids are not row ids', async () => {
    const fresh = await fundedAccount(t, { USDT: '1' });
    const res = await t.gql(
      'mutation($answers: [QuizAnswerInput!]!) { activatePortfolioMargin(answers: $answers) { id } }',
      { answers: [{ questionId: 'q1', optionId: 'a' }] },
      fresh.token,
    );
    expect(code(res)).not.toBe('BAD_USER_INPUT');
  });
});
