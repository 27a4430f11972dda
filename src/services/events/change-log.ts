import { Wakeup } from '../../lib/wakeup';
import type { AccountChange } from './outbox';

export interface LogEntry {
  /** Position in the shard's log, opaque; reading after it gives the entries that follow. */
  id: string;
  change: AccountChange;
}

/** Entries kept per shard: a reader further behind reloads its whole shard (see AccountStream). */
export const LOG_RETAINED = 100_000;

/** The position before the first entry. */
export const LOG_START = '0-0';

/**
 * The resumable log of account changes, one per shard: a Redis Stream when Redis is configured (so every
 * instance reads the same log from its own last id), the outbox table otherwise (database-change-log.ts).
 */
export interface ChangeLog {
  append(shard: number, changes: AccountChange[]): Promise<void>;
  /** Entries after `afterId`, waiting up to `blockMs` for the first; [] when none came. Throws when disconnected (entries may be gone: a Redis restart), and the reader reloads. */
  read(shard: number, afterId: string, blockMs: number): Promise<LogEntry[]>;
  /** The id of the newest entry (LOG_START when empty): a reader that loads state now resumes from here. */
  head(shard: number): Promise<string>;
  close(): Promise<void>;
}

/**
 * A log in this process only (the unit tests' log: the app uses Redis, or the outbox table without Redis). Ids are
 * `n-0`, n counting from 1 per shard.
 */
export class MemoryChangeLog implements ChangeLog {
  private readonly shards = new Map<number, { entries: LogEntry[]; next: number; wakeup: Wakeup }>();
  private closed = false;

  private shard(shard: number) {
    let s = this.shards.get(shard);
    if (!s) this.shards.set(shard, (s = { entries: [], next: 1, wakeup: new Wakeup() }));
    return s;
  }

  async append(shard: number, changes: AccountChange[]): Promise<void> {
    const s = this.shard(shard);
    for (const change of changes) s.entries.push({ id: `${s.next++}-0`, change });
    if (s.entries.length > LOG_RETAINED) s.entries.splice(0, s.entries.length - LOG_RETAINED);
    s.wakeup.wakeAll();
  }

  async read(shard: number, afterId: string, blockMs: number): Promise<LogEntry[]> {
    const s = this.shard(shard);
    // Ids are consecutive: entry n sits at n - (the first kept n).
    const after = Number(afterId.split('-')[0]);
    const pick = () => s.entries.slice(Math.max(0, after - (s.next - s.entries.length) + 1));
    const found = pick();
    if (found.length > 0 || blockMs <= 0 || this.closed) return found;
    await s.wakeup.sleep(blockMs);
    return pick();
  }

  async head(shard: number): Promise<string> {
    const s = this.shard(shard);
    return s.entries.length > 0 ? s.entries[s.entries.length - 1].id : LOG_START;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const s of this.shards.values()) s.wakeup.wakeAll();
  }
}
