import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { openDataSource } from '../../src/db/data-source';
import { LedgerEntryEntity } from '../../src/entities';
import { TEST_JWT_SECRET } from '../helpers/test-app';

const ROOT = path.join(__dirname, '../..');
const run = promisify(execFile);

/** The first ```sh block after the marker in docs/examples.md: what a reader copies into a shell. */
function documentedCommands(): string {
  const doc = fs.readFileSync(path.join(ROOT, 'docs/examples.md'), 'utf8');
  const after = doc.slice(doc.indexOf('<!-- The test test/integration/examples.test.ts'));
  const match = /```sh\n([\s\S]*?)```/.exec(after);
  if (!match) throw new Error('docs/examples.md has no ```sh block after the marker');
  return match[1];
}

/** The embedded quick start with its demo accounts (account 2 is the Portfolio Margin one), on a free port. */
describe('the examples of docs/examples.md', () => {
  let app: App;
  beforeAll(async () => {
    const ds = await openDataSource({ databaseUrl: null, sqliteFile: ':memory:' });
    const config = loadConfig({ JWT_SECRET: TEST_JWT_SECRET, PRICE_FEED: 'none', SEED_DEMO: 'true' });
    app = await startApp({ ...config, port: 0, redisPrefix: `examples-${process.pid}` }, { dataSource: ds });
  });
  afterAll(async () => {
    await app?.stop();
    await app?.services.ds.destroy();
  });

  it('run against a started server exactly as the docs show them', async () => {
    expect(app.demoAccounts.find((a) => a.role === 'pm')?.id).toBe('2');
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-examples-'));
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', documentedCommands()], {
      cwd: ROOT,
      env: {
        ...process.env,
        PM_URL: app.server.url,
        JWT_SECRET: TEST_JWT_SECRET,
        EVENTS: '1',
        CURSOR_FILE: path.join(scratch, 'ledger-cursor'),
      },
      timeout: 50_000,
    });
    fs.rmSync(scratch, { recursive: true, force: true });
    const lines = stdout.split('\n');
    // ledger-catch-up.mjs twice: the first entry of the ledger, then the one after it (the saved cursor).
    const ledger = lines.map((l) => /^ledger (\d+) /.exec(l)?.[1]).filter((id) => id !== undefined);
    const firstTwo = await app.services.ds
      .getRepository(LedgerEntryEntity)
      .find({ where: { accountId: '2' }, order: { id: 'ASC' }, take: 2 });
    expect(ledger).toEqual(firstTwo.map((e) => String(e.id)));
    // node-client.mjs and apollo-client.mjs: the account, then one live marginRatio event each.
    expect(lines.filter((l) => l.startsWith('account 2 (PORTFOLIO_MARGIN)'))).toHaveLength(2);
    expect(lines.filter((l) => /^\d{4}-\d\d-\d\dT\S+Z uniMMR \d+(\.\d+)? NORMAL$/.test(l))).toHaveLength(2);
    // curl.sh: every answer is data, and the keyed transfer sent twice is one transfer.
    const answers = lines
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(answers.filter((a) => 'errors' in a)).toEqual([]);
    const transfers = answers
      .map((a) => (a.data as { transfer?: { id: string; amount: string } } | undefined)?.transfer)
      .filter((t) => t !== undefined);
    expect(transfers).toHaveLength(2);
    expect(transfers[1]).toEqual(transfers[0]);
    expect(transfers[0]!.amount).toBe('100');
  });
});
