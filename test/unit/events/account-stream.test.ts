import { AccountStream, type StreamTarget } from '../../../src/services/events/account-stream';
import { MemoryChangeLog } from '../../../src/services/events/change-log';
import type { AccountChange } from '../../../src/services/events/outbox';

const change = (accountId: string, version: number): AccountChange => ({
  accountId,
  version,
  kind: 'transfer',
  wallets: ['SPOT'],
});

/** Accounts as a database would hold them: a version each; loads read it, reloads are recorded. */
class Accounts implements StreamTarget {
  readonly stored = new Map<string, number>();
  readonly reloads: string[] = [];
  readonly delivered: AccountChange[] = [];
  /** Runs inside loadAll after the versions were read and before the rows (a test hook). */
  duringLoad: (() => Promise<void>) | null = null;
  private waiters: { count: number; resolve: () => void }[] = [];

  async loadAll(): Promise<Map<string, number>> {
    const versions = new Map(this.stored);
    await this.duringLoad?.();
    return versions;
  }

  async reload(accountId: string): Promise<number | null> {
    this.reloads.push(accountId);
    return this.stored.get(accountId) ?? null;
  }

  changed(c: AccountChange): void {
    this.delivered.push(c);
    for (const w of this.waiters.filter((w) => this.delivered.length >= w.count)) w.resolve();
  }

  deliveredCount(count: number): Promise<void> {
    if (this.delivered.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }
}

describe('AccountStream', () => {
  let log: MemoryChangeLog;
  let stream: AccountStream;
  afterEach(async () => {
    await log.close();
    await stream.stop();
  });

  it('reloads on each newer version, a gap included, and skips versions it already has', async () => {
    log = new MemoryChangeLog();
    const accounts = new Accounts();
    accounts.stored.set('1', 3);
    accounts.stored.set('2', 1);
    await log.append(0, [change('1', 3)]); // before the load: already in it
    stream = new AccountStream(log, 0, accounts, 50);
    await stream.start();

    accounts.stored.set('1', 4);
    accounts.stored.set('2', 5);
    // 1: next version; 2: a gap (2..4 never seen); then duplicates the relay may append twice.
    await log.append(0, [change('1', 4), change('2', 5), change('1', 4), change('1', 3)]);
    await accounts.deliveredCount(2);
    expect(accounts.reloads.sort()).toEqual(['1', '2']);
    expect(stream.versionOf('1')).toBe(4);
    expect(stream.versionOf('2')).toBe(5);

    accounts.stored.set('1', 5);
    await log.append(0, [change('1', 5)]);
    await accounts.deliveredCount(3);
    expect(accounts.reloads.sort()).toEqual(['1', '1', '2']);
  });

  it('does not lose a change committed between the load reading versions and rows', async () => {
    log = new MemoryChangeLog();
    const accounts = new Accounts();
    accounts.stored.set('7', 1);
    accounts.duringLoad = async () => {
      accounts.duringLoad = null;
      // The change commits (version 2) and is relayed while the load is still reading rows.
      accounts.stored.set('7', 2);
      await log.append(0, [change('7', 2)]);
    };
    stream = new AccountStream(log, 0, accounts, 50);
    await stream.start();
    expect(stream.versionOf('7')).toBe(1);
    await accounts.deliveredCount(1);
    expect(accounts.reloads).toEqual(['7']);
    expect(stream.versionOf('7')).toBe(2);
  });

  it('starts over after a failed read: head, whole load, then reads', async () => {
    log = new MemoryChangeLog();
    const accounts = new Accounts();
    accounts.stored.set('9', 1);
    let fail = true;
    const read = log.read.bind(log);
    log.read = async (...args) => {
      if (fail) {
        fail = false;
        throw new Error('connection lost');
      }
      return read(...args);
    };
    stream = new AccountStream(log, 0, accounts, 50);
    await stream.start();
    expect(stream.loads).toBe(1);
    await stream.nextLoad();
    expect(stream.loads).toBe(2);
  });
});
