import Redis from 'ioredis';
import { checkTtl, type LeaseStore } from './lease';
import { newOwnerId } from './owner';

/** Extends the key's expiry only while it holds our owner id (Redis single-instance lock pattern). */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
/** Deletes the key only while it holds our owner id. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * The lease as a Redis key `<prefix>:lease:<name>` holding the owner id: acquired with SET NX PX, renewed and
 * released by scripts that check the owner first. Redis keeps the expiry, so no instance's clock matters.
 */
export class RedisLeaseStore implements LeaseStore {
  readonly owner = newOwnerId();

  private constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  static async connect(redisUrl: string, prefix: string): Promise<RedisLeaseStore> {
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
    await redis.connect();
    return new RedisLeaseStore(redis, prefix);
  }

  private key(name: string): string {
    return `${this.prefix}:lease:${name}`;
  }

  async tryAcquire(name: string, ttlMs: number): Promise<boolean> {
    checkTtl(ttlMs);
    if ((await this.redis.set(this.key(name), this.owner, 'PX', ttlMs, 'NX')) === 'OK') return true;
    return this.renew(name, ttlMs);
  }

  async renew(name: string, ttlMs: number): Promise<boolean> {
    checkTtl(ttlMs);
    return (await this.redis.eval(RENEW, 1, this.key(name), this.owner, String(ttlMs))) === 1;
  }

  async release(name: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key(name), this.owner);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}
