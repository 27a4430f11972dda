import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createScratchDatabase } from '../../src/db/scratch-database';
import { EXACT_COLLATION } from '../../src/entities/columns';
import { backends } from '../helpers/backends';
import { startMain } from '../helpers/main-process';
import { code, FILL, fundedAccount, newKey, transfer } from '../helpers/money';
import { auditedTestApp } from '../helpers/suite';
import { TEST_JWT_SECRET } from '../helpers/test-app';

/** Spec 4: idempotency keys and fill ids compare exactly, case included, on every database. */
describe.each(backends())('keys compare exactly on $name', (backend) => {
  const suite = auditedTestApp(backend);

  it('Key-a and key-A are two transfers, each moving its money', async () => {
    const { t } = suite;
    const a = await fundedAccount(t, { USDT: '100' });
    const first = await transfer(t, a.token, 'USDT', '10', 'SPOT', 'CROSS_MARGIN', 'Key-a');
    const second = await transfer(t, a.token, 'USDT', '10', 'SPOT', 'CROSS_MARGIN', 'key-A');
    const again = await transfer(t, a.token, 'USDT', '10', 'SPOT', 'CROSS_MARGIN', 'key-A');
    expect(first.errors).toBeUndefined();
    expect(second.errors).toBeUndefined();
    expect(second.data!.transfer.id).not.toBe(first.data!.transfer.id);
    expect(again.data).toEqual(second.data);
    // other input under a key differing only in case from a used one is a new operation, not a reuse
    expect((await transfer(t, a.token, 'USDT', '1', 'SPOT', 'CROSS_MARGIN', 'KEY-A')).errors).toBeUndefined();
    expect(code(await transfer(t, a.token, 'USDT', '2', 'SPOT', 'CROSS_MARGIN', 'Key-a'))).toBe(
      'IDEMPOTENCY_KEY_REUSED',
    );
    const wallets = await t.gql<{ me: { wallet: { balances: { free: string }[] } } }>(
      '{ me { wallet(type: SPOT) { balances { free } } } }',
      {},
      a.token,
    );
    expect(wallets.data!.me.wallet.balances).toEqual([{ free: '79' }]);
  });

  it('F-a and f-A are two fills', async () => {
    const { t, op } = suite;
    const a = await fundedAccount(t, {});
    const fill = (fillId: string) =>
      t.gql(
        FILL,
        { input: { fillId, accountId: a.id, symbol: 'BTCUSDT', side: 'BUY', quantity: '1', price: '90000' } },
        op,
      );
    const id = newKey('F');
    expect((await fill(`${id}-a`)).errors).toBeUndefined();
    expect((await fill(`${id}-A`)).errors).toBeUndefined();
    expect((await fill(`${id}-A`)).errors).toBeUndefined();
    const me = await t.gql<{ me: { positions: { quantity: string }[] } }>(
      '{ me { positions { quantity } } }',
      {},
      a.token,
    );
    expect(me.data!.me.positions).toEqual([{ quantity: '2' }]);
  });

  if (backend.name === 'mysql') {
    it('gives every column the entities declare with the exact collation that collation in MySQL', async () => {
      const { t } = suite;
      const declared = t.db.ds.entityMetadatas.flatMap((meta) =>
        meta.columns
          .filter((c) => c.collation === EXACT_COLLATION)
          .map((c) => `${meta.tableName}.${c.databaseName}`),
      );
      expect(declared).toContain('idempotency_record.idempotencyKey');
      const rows: { name: string; collation: string }[] = await t.db.ds.query(
        `SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME) AS name, COLLATION_NAME AS collation
           FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = DATABASE()`,
      );
      const actual = new Map(rows.map((r) => [r.name, r.collation]));
      expect(declared.filter((name) => actual.get(name) !== EXACT_COLLATION)).toEqual([]);
    });
  }
});

describe.each(backends())('npm start with SEED_DEMO=true on $name', (backend) => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    if (backend.name === 'mysql') {
      const db = await createScratchDatabase(process.env.DATABASE_URL!, 'pm_demo');
      env = { DATABASE_URL: db.url };
      cleanup = db.drop;
    } else {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-demo-'));
      env = { DATA_DIR: dir };
      cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
    }
    Object.assign(env, { SEED_DEMO: 'true', PRICE_FEED: 'none', JWT_SECRET: TEST_JWT_SECRET });
  });
  afterAll(() => cleanup?.());

  /** The account ids of the printed demo tokens, once all three are printed. */
  const demoTokens = (output: string): string[] =>
    [...output.matchAll(/^ {4}(eyJ[\w-]+\.(eyJ[\w-]+)\.[\w-]+)$/gm)].map(
      (m) => (JSON.parse(Buffer.from(m[2], 'base64url').toString()) as { sub: string }).sub,
    );
  const start = () => startMain(env, (output) => demoTokens(output).length === 3);

  it('seeds the demo accounts and prints their tokens, and prints them again on the next start', async () => {
    const first = await start();
    const ids = demoTokens(first.output());
    await first.stop();
    expect(first.output()).toContain('Demo accounts');
    expect(new Set(ids).size).toBe(3);
    const second = await start();
    await second.stop();
    expect(demoTokens(second.output())).toEqual(ids);
  }, 180_000);
});
