import { EventEmitter } from 'node:events';
import { LeaseKeeper, type LeaseStore } from '../lease';
import { shardOf } from '../events/shards';

export const shardLease = (shard: number): string => `risk-shard:${shard}`;

/**
 * Which of the RISK_SHARDS shards this instance owns: one lease per shard (Redis when configured, the
 * database otherwise, see services/lease), kept by a LeaseKeeper. Exactly one live instance holds a shard;
 * when its lease expires (the instance died) or is released (it stopped), another takes it at its next try,
 * within a third of the ttl. `onChange` hears every gain and loss.
 */
export class ShardOwnership {
  private readonly owned = new Set<number>();
  private readonly keepers: LeaseKeeper[];
  /** 'change' (shard, owned) after each gain or loss: the hook tests wait on. */
  readonly events = new EventEmitter();

  constructor(
    store: LeaseStore,
    readonly shards: number,
    ttlMs: number,
    private readonly onChange: (shard: number, owned: boolean) => void,
  ) {
    this.keepers = Array.from(
      { length: shards },
      (_, shard) =>
        new LeaseKeeper(store, shardLease(shard), {
          ttlMs,
          onAcquired: () => this.set(shard, true),
          onLost: () => this.set(shard, false),
        }),
    );
  }

  ownsShard(shard: number): boolean {
    return this.owned.has(shard);
  }

  owns(accountId: string): boolean {
    return this.owned.has(shardOf(accountId, this.shards));
  }

  /** The shards held now. */
  get held(): number[] {
    return [...this.owned].sort((a, b) => a - b);
  }

  /** One try at every shard now (so a starting instance knows what it owns), then keeps trying and renewing. */
  async start(): Promise<void> {
    await Promise.all(this.keepers.map((k) => k.tick()));
    for (const keeper of this.keepers) keeper.start();
  }

  /** Releases every held shard, so another instance takes it over without waiting for the expiry. */
  async stop(): Promise<void> {
    await Promise.all(this.keepers.map((k) => k.stop()));
  }

  private set(shard: number, owned: boolean): void {
    if (owned) this.owned.add(shard);
    else this.owned.delete(shard);
    this.onChange(shard, owned);
    this.events.emit('change', shard, owned);
  }
}
