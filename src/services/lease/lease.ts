/**
 * A single-owner lease on a named job or shard: at most one holder at a time, for `ttlMs` after its last
 * acquire or renew, with no consensus of its own. Each `LeaseStore` instance is one owner (a random id); a
 * store gives the same answers on both backends:
 *
 * - `tryAcquire(name, ttlMs)`: true when this owner now holds `name` for `ttlMs` (it was free, expired, or
 *   already ours: acquiring again extends it); false when another owner holds it.
 * - `renew(name, ttlMs)`: extends our lease; false when it is no longer ours (it expired and was taken, or
 *   was never held). A holder that gets false must stop the leased work.
 * - `release(name)`: frees it now if it is ours, so another owner need not wait for the expiry.
 *
 * A holder is safe while its own clock is before (time of the acquire or renew call) + ttlMs, provided the
 * clocks of the instances agree to well within ttlMs. `LeaseKeeper` does the renewing. Backends: Redis when
 * REDIS_URL is set (`redis-lease.ts`, expiry kept by Redis), the `lease` table otherwise
 * (`database-lease.ts`, expiry by the injected clock).
 */
export interface LeaseStore {
  readonly owner: string;
  tryAcquire(name: string, ttlMs: number): Promise<boolean>;
  renew(name: string, ttlMs: number): Promise<boolean>;
  release(name: string): Promise<void>;
  close(): Promise<void>;
}

export function checkTtl(ttlMs: number): void {
  if (!Number.isInteger(ttlMs) || ttlMs < 1) throw new RangeError(`lease ttl must be a positive integer ms`);
}
