import { logger } from '../../lib/logger';
import { LOG_START, type ChangeLog, type LogEntry } from './change-log';
import type { AccountChange } from './outbox';

/** What keeps a shard's accounts: loads them, and tells which version each load saw. */
export interface StreamTarget {
  /**
   * Loads every account of the shard. Each version must be read before that account's rows, so a change
   * committed during the load is either in the rows and at most that version, or newer than it (and
   * then in the log after the position taken before the load, which reloads the account).
   */
  loadAll(): Promise<Map<string, number>>;
  /** Loads one account again; its version read before its rows, null when it does not exist. */
  reload(accountId: string): Promise<number | null>;
  /** The account now reflects `change` (and maybe later ones). */
  changed(change: AccountChange): void;
}

const RELOAD_CONCURRENCY = 32;
const RETRY_MS = [50, 100, 200, 500, 1000];

/**
 * One shard's account changes, in order, from the change log: a versioned, resumable log rather than
 * fire-and-forget pub/sub. It starts by taking the log's head, then loads the shard, then reads from that
 * head; each entry newer than the account's known version reloads the account (a gap included: the payload
 * holds no balances, so a reload is always the truth), older ones are skipped (duplicates of the relay).
 * A failed read (a Redis reconnect, maybe a restart that lost entries) starts over: head, load, read.
 */
export class AccountStream {
  private versions = new Map<string, number>();
  private lastId = LOG_START;
  private stopped = false;
  /** A whole-shard load is wanted (the shard changed hands): done before the next read. */
  private reloadWanted = false;
  private loop: Promise<void> | null = null;
  /** Whole-shard loads done (the first one included): tests wait on it after a reconnect. */
  loads = 0;
  private readonly loadWaiters = new Set<() => void>();

  constructor(
    private readonly log: ChangeLog,
    private readonly shard: number,
    private readonly target: StreamTarget,
    private readonly blockMs = 1000,
  ) {}

  /** Resolves after the first load; changes then flow until stop(). */
  async start(): Promise<void> {
    await this.reset();
    this.loop = this.run();
  }

  /** Stops reading; a read in flight ends when the log is closed or its block times out. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  /** The version this stream last saw of an account (undefined: never loaded). */
  versionOf(accountId: string): number | undefined {
    return this.versions.get(accountId);
  }

  /** Loads the whole shard again before the next read (within one read's block time). */
  reloadAll(): void {
    this.reloadWanted = true;
  }

  /** Resolves after the next whole-shard load (as after a reconnect). */
  nextLoad(): Promise<void> {
    return new Promise((resolve) => this.loadWaiters.add(resolve));
  }

  private async reset(): Promise<void> {
    this.reloadWanted = false;
    this.lastId = await this.log.head(this.shard);
    this.versions = await this.target.loadAll();
    this.loads++;
    for (const wake of [...this.loadWaiters]) wake();
    this.loadWaiters.clear();
  }

  private async run(): Promise<void> {
    let failures = 0;
    let mustReset = false;
    while (!this.stopped) {
      try {
        if (mustReset || this.reloadWanted) await this.reset();
        mustReset = false;
        const entries = await this.log.read(this.shard, this.lastId, this.blockMs);
        if (this.stopped) return;
        await this.apply(entries);
        failures = 0;
      } catch (err) {
        if (this.stopped) return;
        if (!mustReset) logger.warn({ err, shard: this.shard }, 'account stream: read failed, reloading');
        mustReset = true;
        await new Promise((r) => setTimeout(r, RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)]));
      }
    }
  }

  private async apply(entries: LogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const newest = new Map<string, AccountChange>();
    for (const { change } of entries) {
      const seen = newest.get(change.accountId);
      if (!seen || change.version > seen.version) newest.set(change.accountId, change);
    }
    const due = [...newest.values()].filter((c) => c.version > (this.versions.get(c.accountId) ?? 0));
    for (let i = 0; i < due.length; i += RELOAD_CONCURRENCY) {
      await Promise.all(
        due.slice(i, i + RELOAD_CONCURRENCY).map(async (change) => {
          const version = await this.target.reload(change.accountId);
          if (version === null) this.versions.delete(change.accountId);
          else this.versions.set(change.accountId, version);
          this.target.changed(change);
        }),
      );
    }
    this.lastId = entries[entries.length - 1].id;
  }
}
