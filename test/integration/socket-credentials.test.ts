import type { Client } from 'graphql-ws';
import { ApiKeyEntity } from '../../src/entities';
import { backends } from '../helpers/backends';
import { newKey, pmAccount, TRANSFER } from '../helpers/money';
import { startTestApp, subscribe, type TestApp } from '../helpers/test-app';

const WALLETS = 'subscription { walletUpdated { accountId wallet { type } } }';

/** One operation over the socket: its result, or a rejection with the error or close event. */
function wsRequest(client: Client, query: string, variables: Record<string, unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let result: unknown = null;
    client.subscribe(
      { query, variables },
      {
        next: (value) =>
          value.errors ? reject(new Error(JSON.stringify(value.errors))) : (result = value.data),
        error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: () => resolve(result),
      },
    );
  });
}

const closeCode = (client: Client): Promise<number> =>
  new Promise((resolve) => client.on('closed', (event) => resolve((event as { code: number }).code)));

describe.each(backends())('credentials for the life of a socket on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    // The backstop re-check runs often here so that the "lost revocation event" case ends quickly.
    t = await startTestApp(backend, { env: { WS_CREDENTIAL_RECHECK_MS: '200' } });
  });
  afterAll(() => t?.stop());

  const moveOut = (client: Client) =>
    wsRequest(client, TRANSFER, {
      input: {
        asset: 'USDT',
        amount: '1',
        from: 'PORTFOLIO_MARGIN',
        to: 'SPOT',
        idempotencyKey: newKey('ws'),
      },
    });
  const balances = async (token: string) =>
    JSON.stringify((await t.gql('{ me { wallets { type balances { asset free } } } }', {}, token)).data);

  async function transferKey(token: string): Promise<{ id: string; secret: string }> {
    const res = await t.gql<{ createApiKey: { apiKey: { id: string }; secret: string } }>(
      'mutation { createApiKey(label: "socket", scopes: [READ, TRANSFER]) { apiKey { id } secret } }',
      {},
      token,
    );
    return { id: res.data!.createApiKey.apiKey.id, secret: res.data!.createApiKey.secret };
  }

  /** A socket that moved money and receives wallet updates; then `end` happens; then it can do neither. */
  async function endsWith(
    connectionParams: Record<string, unknown>,
    token: string,
    end: () => Promise<unknown>,
  ) {
    const client = t.wsClient(connectionParams);
    const closed = closeCode(client);
    const live = subscribe(client, WALLETS);
    await moveOut(client);
    await live.next();
    await end();
    expect(await closed).toBe(4403);
    // The subscription ends: after the events already delivered (the transfer changed two wallets), an error.
    let delivered = 0;
    while (
      await live.next().then(
        () => true,
        () => false,
      )
    )
      delivered++;
    expect(delivered).toBeLessThan(5);
    const before = await balances(token);
    await expect(moveOut(client)).rejects.toBeDefined();
    expect(await balances(token)).toBe(before);
  }

  it('closes a socket with 4403 when its API key is revoked, and its key moves no more money', async () => {
    const acct = await pmAccount(t, { USDT: '1000' });
    const key = await transferKey(acct.token);
    await endsWith({ apiKey: key.secret }, acct.token, async () => {
      const res = await t.gql('mutation($id: ID!) { revokeApiKey(id: $id) }', { id: key.id }, acct.token);
      expect(res.errors).toBeUndefined();
    });
  });

  it('closes it too when the revocation event is lost, by the periodic re-check', async () => {
    const acct = await pmAccount(t, { USDT: '1000' });
    const key = await transferKey(acct.token);
    // Revoked in the database behind the API's back: no event, only the re-check can notice.
    await endsWith({ apiKey: key.secret }, acct.token, () =>
      t.db.ds.getRepository(ApiKeyEntity).update({ id: key.id }, { revokedAt: new Date() }),
    );
  });

  it('closes a socket with 4403 when its token expires, and the token moves no more money', async () => {
    const acct = await pmAccount(t, { USDT: '1000' });
    const shortLived = await t.app.services.tokens.sign({ role: 'user', sub: acct.id }, '6s');
    // The end is the token's own expiry, a timer on the server: nothing to do but wait for the close.
    await endsWith({ authorization: `Bearer ${shortLived}` }, acct.token, async () => undefined);
  });
});
