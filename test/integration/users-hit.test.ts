import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startApp } from '../../src/app';
import { TokenService } from '../../src/auth/tokens';
import { loadConfig } from '../../src/config';
import { ApiKeyEntity } from '../../src/entities';
import { ApiKeyService, LAST_USED_RESOLUTION_MS } from '../../src/services/api-keys/api-key.service';
import { backends } from '../helpers/backends';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../helpers/test-app';

const run = promisify(execFile);

describe('npm run -s token', () => {
  it('prints only the token, for the configured secret', async () => {
    const { stdout } = await run('npm', ['run', '-s', 'token', '--', '42'], {
      env: { ...process.env, JWT_SECRET: TEST_JWT_SECRET },
    });
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const viewer = await new TokenService(TEST_JWT_SECRET).verify(stdout.trim());
    expect(viewer).toEqual({ kind: 'user', accountId: '42' });
  });
});

describe.each(backends())('what users hit, on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(() => t?.stop());

  it('finds the demo accounts again on every start, and an active PM account is not eligible', async () => {
    const config = { ...loadConfig({ JWT_SECRET: TEST_JWT_SECRET, PRICE_FEED: 'none' }), port: 0 };
    const options = { dataSource: t.db.ds };
    const first = await startApp({ ...config, seedDemo: true, redisPrefix: `demo-${process.pid}` }, options);
    await first.stop();
    const second = await startApp({ ...config, seedDemo: true, redisPrefix: `demo-${process.pid}` }, options);
    try {
      expect(second.demoAccounts.map((a) => a.id)).toEqual(first.demoAccounts.map((a) => a.id));
      expect(second.demoAccounts).toHaveLength(3);
      const pm = second.demoAccounts[1].id;
      const res = await t.gql<{
        me: { mode: string; eligibility: { eligible: boolean; reasons: string[] } };
      }>('{ me { mode eligibility { eligible reasons } } }', {}, await t.userToken(pm));
      expect(res.data!.me).toEqual({
        mode: 'PORTFOLIO_MARGIN',
        eligibility: { eligible: false, reasons: ['Portfolio Margin is already active'] },
      });
    } finally {
      await second.stop();
    }
  });

  it('lists API keys to the account and to operators, never secrets, with lastUsedAt', async () => {
    const [a, b] = [
      (await t.app.services.accountAdmin.create(0)).id,
      (await t.app.services.accountAdmin.create(0)).id,
    ];
    const tokenA = await t.userToken(a);
    const created = await t.gql<{ createApiKey: { apiKey: { id: string }; secret: string } }>(
      'mutation { createApiKey(label: "bot", scopes: [READ]) { apiKey { id } secret } }',
      {},
      tokenA,
    );
    const { apiKey, secret } = created.data!.createApiKey;
    const list = (token: string) =>
      t.gql<{ account: { apiKeys: Record<string, unknown>[] } }>(
        'query($id: ID!) { account(id: $id) { apiKeys { id label scopes createdAt lastUsedAt revokedAt } } }',
        { id: a },
        token,
      );
    const own = await list(tokenA);
    expect(own.data!.account.apiKeys).toEqual([
      expect.objectContaining({ id: apiKey.id, label: 'bot', scopes: ['READ'], lastUsedAt: null }),
    ]);
    expect(JSON.stringify(own)).not.toContain(secret);
    expect((await list(await t.operatorToken())).data!.account.apiKeys).toHaveLength(1);
    expect((await list(await t.userToken(b))).errors?.[0].extensions?.code).toBe('FORBIDDEN');

    // The request's own write is not awaited: poll the listing until it shows.
    expect((await t.gql('{ me { id } }', {}, null, { 'x-api-key': secret })).errors).toBeUndefined();
    let lastUsedAt: unknown = null;
    for (let i = 0; i < 100 && lastUsedAt === null; i++) {
      lastUsedAt = (await list(tokenA)).data!.account.apiKeys[0].lastUsedAt;
      if (lastUsedAt === null) await new Promise((r) => setTimeout(r, 50));
    }
    expect(typeof lastUsedAt).toBe('string');
  });

  it('writes lastUsedAt at most once a minute per key', async () => {
    let now = Date.UTC(2026, 0, 1, 12, 0, 0);
    const service = new ApiKeyService(t.db.ds, () => now);
    const account = (await t.app.services.accountAdmin.create(0)).id;
    const { apiKey } = await service.create(account, 'clocked', ['READ']);
    const stored = async () =>
      (await t.db.ds.getRepository(ApiKeyEntity).findOneByOrFail({ id: apiKey.id })).lastUsedAt?.getTime();

    await service.touch(apiKey.id);
    expect(await stored()).toBe(now);
    now += LAST_USED_RESOLUTION_MS - 1;
    expect(service.touch(apiKey.id)).toBeNull();
    now += 1;
    await service.touch(apiKey.id);
    expect(await stored()).toBe(now);
    // Another instance that has not seen the key yet still skips a stamp younger than a minute.
    const other = new ApiKeyService(t.db.ds, () => now + 1000);
    await other.touch(apiKey.id);
    expect(await stored()).toBe(now);
  });
});
