import Redis, { type RedisOptions } from 'ioredis';
import type { AccountChange } from './outbox';
import { LOG_RETAINED, LOG_START, type ChangeLog, type LogEntry } from './change-log';

/**
 * Fail fast while disconnected: a command is never silently replayed after a reconnect, so a reader learns
 * of every reconnect (and reloads) instead of resuming as if nothing had been lost.
 */
const FAIL_FAST: RedisOptions = { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false };

export const streamKey = (prefix: string, shard: number): string => `${prefix}:account-stream:${shard}`;

/**
 * One Redis Stream per shard, `<prefix>:account-stream:<shard>`, trimmed to about LOG_RETAINED entries.
 * Appends share one connection; each shard's blocking reads have their own (XREAD BLOCK holds it).
 */
export class RedisChangeLog implements ChangeLog {
  private readonly readers = new Map<number, Redis>();

  private constructor(
    private readonly url: string,
    private readonly prefix: string,
    private readonly writer: Redis,
  ) {}

  static async open(url: string, prefix: string): Promise<RedisChangeLog> {
    const writer = new Redis(url, FAIL_FAST);
    writer.on('error', () => undefined); // reconnects by itself; the relay retries its batch
    await writer.connect();
    return new RedisChangeLog(url, prefix, writer);
  }

  private key(shard: number): string {
    return streamKey(this.prefix, shard);
  }

  async append(shard: number, changes: AccountChange[]): Promise<void> {
    if (changes.length === 0) return;
    const batch = this.writer.multi();
    for (const c of changes)
      batch.xadd(this.key(shard), 'MAXLEN', '~', LOG_RETAINED, '*', 'c', JSON.stringify(c));
    const results = await batch.exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('XADD batch discarded');
  }

  async read(shard: number, afterId: string, blockMs: number): Promise<LogEntry[]> {
    const reader = await this.reader(shard);
    const reply = (await reader.xread(
      'COUNT',
      1000,
      'BLOCK',
      blockMs,
      'STREAMS',
      this.key(shard),
      afterId,
    )) as [string, [string, string[]][]][] | null;
    if (!reply) return [];
    return reply[0][1].map(([id, fields]) => ({ id, change: JSON.parse(fields[1]) as AccountChange }));
  }

  async head(shard: number): Promise<string> {
    const last = (await this.writer.xrevrange(this.key(shard), '+', '-', 'COUNT', 1)) as [string, string[]][];
    return last.length > 0 ? last[0][0] : LOG_START;
  }

  private async reader(shard: number): Promise<Redis> {
    let reader = this.readers.get(shard);
    if (reader) return reader;
    reader = new Redis(this.url, FAIL_FAST);
    this.readers.set(shard, reader);
    reader.on('error', () => undefined); // reconnects by itself; its reader sees the failed read
    await reader.connect();
    return reader;
  }

  async close(): Promise<void> {
    const clients = [this.writer, ...this.readers.values()];
    this.readers.clear();
    await Promise.allSettled(clients.map((c) => c.quit()));
    for (const c of clients) c.disconnect();
  }
}
