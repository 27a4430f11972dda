import { AccountStream, type StreamTarget } from '../events/account-stream';
import type { ChangeLog } from '../events/change-log';
import { shardOf } from '../events/shards';
import type { LiveRiskBook } from './live-book';
import type { ShardOwnership } from './shard-ownership';

/**
 * Each shard's account stream feeding the live book. For a shard this instance owns, the stream loads every
 * PM account of the shard and reloads each changed one; for another shard, only the accounts watched here
 * (mirrors). When a shard is gained its stream loads it whole before its next read; when it is lost its
 * unwatched accounts leave the book.
 */
export class ShardFeeds {
  readonly streams: AccountStream[];
  private stopped = false;

  constructor(
    log: ChangeLog,
    private readonly book: LiveRiskBook,
    private readonly ownership: ShardOwnership,
  ) {
    this.streams = Array.from(
      { length: ownership.shards },
      (_, shard) => new AccountStream(log, shard, this.target(shard)),
    );
  }

  /** Resolves when every shard's first load is done. */
  async start(): Promise<void> {
    await Promise.all(this.streams.map((s) => s.start()));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.streams.map((s) => s.stop()));
  }

  /**
   * After stop() there is nothing to keep in step: the shards the stopping instance releases would otherwise
   * have every unwatched account dropped from a book that is being thrown away (seconds at 1M accounts).
   */
  ownershipChanged(shard: number, owned: boolean): void {
    if (this.stopped) return;
    if (owned) this.streams[shard]?.reloadAll();
    else this.book.dropUnwatched(this.inShard(shard));
  }

  private inShard(shard: number): (accountId: string) => boolean {
    return (accountId) => shardOf(accountId, this.ownership.shards) === shard;
  }

  private target(shard: number): StreamTarget {
    const inShard = this.inShard(shard);
    const owned = () => this.ownership.ownsShard(shard);
    return {
      loadAll: () => (owned() ? this.book.loadAll(inShard) : this.book.loadWatched(inShard)),
      reload: async (accountId) =>
        owned() || this.book.book.isWatched(accountId) ? this.book.reload(accountId) : null,
      changed: () => undefined,
    };
  }
}
