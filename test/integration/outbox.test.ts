import { LOG_START } from '../../src/services/events/change-log';
import { shardOf } from '../../src/services/events/shards';
import { backends } from '../helpers/backends';
import { BORROW, pmAccount, transfer } from '../helpers/money';
import { startTestApp, type TestApp } from '../helpers/test-app';

describe.each(backends())('account versions and the outbox on $name', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(() => t?.stop());

  const version = async (id: string) =>
    Number((await t.db.ds.query('SELECT version FROM account WHERE id = ?', [id]))[0].version);

  it('bumps the version in each money transaction, relays each change to its shard in order, empties the outbox into Redis', async () => {
    const a = await pmAccount(t, { USDT: '1000' });
    const before = await version(a.id);
    expect(before).toBeGreaterThan(0);
    expect(
      (await transfer(t, a.token, 'USDT', '1', 'PORTFOLIO_MARGIN', 'SPOT', 'same-key')).errors,
    ).toBeUndefined();
    // A replay changes nothing: no new version.
    await transfer(t, a.token, 'USDT', '1', 'PORTFOLIO_MARGIN', 'SPOT', 'same-key');
    const borrowed = await t.gql(
      BORROW,
      { input: { asset: 'USDT', amount: '5', idempotencyKey: 'b1' } },
      a.token,
    );
    expect(borrowed.errors).toBeUndefined();
    expect(await version(a.id)).toBe(before + 2);

    const { changeLog, outboxRelay, config } = t.app.services;
    // With Redis the rows are relayed into the shard's stream and deleted; without, the table is the log.
    if (outboxRelay) {
      await outboxRelay.nudge();
      expect(Number((await t.db.ds.query('SELECT COUNT(*) AS n FROM account_outbox'))[0].n)).toBe(0);
    }
    const entries = await changeLog.read(shardOf(a.id, config.riskShards), LOG_START, 0);
    const mine = entries.map((e) => e.change).filter((c) => c.accountId === a.id);
    expect(mine.map((c) => c.version)).toEqual(Array.from({ length: before + 2 }, (_, i) => i + 1));
    expect(mine.slice(-2).map((c) => [c.kind, c.wallets])).toEqual([
      ['transfer', ['PORTFOLIO_MARGIN', 'SPOT']],
      ['borrow', ['PORTFOLIO_MARGIN']],
    ]);
  });
});
