import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { ManualClock } from '../../src/lib/clock';
import { DatabaseLeaseStore, LeaseKeeper, RedisLeaseStore, type LeaseStore } from '../../src/services/lease';
import { backends, type TestDatabase } from '../helpers/backends';

const T0 = '2026-01-01T00:00:00.000Z';
const TTL = 30_000;

/** Two owners of one backend, and a way to let a lease expire without waiting (where the backend allows). */
interface Pair {
  a: LeaseStore;
  b: LeaseStore;
  expire(name: string): Promise<void>;
  close(): Promise<void>;
}

async function databasePair(db: TestDatabase): Promise<Pair> {
  const clock = new ManualClock(T0);
  return {
    a: new DatabaseLeaseStore(db.ds, clock),
    b: new DatabaseLeaseStore(db.ds, clock),
    expire: async () => clock.advance(TTL + 1),
    close: async () => undefined,
  };
}

async function redisPair(redisUrl: string): Promise<Pair> {
  // A prefix of this run only: the shared Redis has other engineers' tests on it.
  const prefix = `test-lease-${process.pid}-${randomBytes(4).toString('hex')}`;
  const [a, b] = await Promise.all([
    RedisLeaseStore.connect(redisUrl, prefix),
    RedisLeaseStore.connect(redisUrl, prefix),
  ]);
  const admin = new Redis(redisUrl);
  return {
    a,
    b,
    // Redis keeps the expiry itself; what it does at the ttl is delete the key.
    expire: async (name) => void (await admin.del(`${prefix}:lease:${name}`)),
    close: async () => {
      await Promise.all([a.close(), b.close(), admin.quit()]);
    },
  };
}

const stores: { name: string; open: () => Promise<{ pair: Pair; done: () => Promise<void> }> }[] = [
  ...backends().map((backend) => ({
    name: `the ${backend.name} lease table`,
    open: async () => {
      const db = await backend.open();
      const pair = await databasePair(db);
      return { pair, done: () => db.close() };
    },
  })),
  ...(process.env.REDIS_URL
    ? [
        {
          name: 'Redis',
          open: async () => {
            const pair = await redisPair(process.env.REDIS_URL!);
            return { pair, done: () => pair.close() };
          },
        },
      ]
    : []),
];

describe.each(stores)('lease on $name', ({ open }) => {
  let pair: Pair;
  let done: () => Promise<void>;
  beforeAll(async () => {
    ({ pair, done } = await open());
  });
  afterAll(() => done?.());

  it('has one holder among racing owners; acquiring again extends it', async () => {
    const results = await Promise.all([pair.a.tryAcquire('race', TTL), pair.b.tryAcquire('race', TTL)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const [winner, loser] = results[0] ? [pair.a, pair.b] : [pair.b, pair.a];
    expect(await winner.tryAcquire('race', TTL)).toBe(true);
    expect(await loser.tryAcquire('race', TTL)).toBe(false);
    expect(await loser.renew('race', TTL)).toBe(false);
    expect(await winner.renew('race', TTL)).toBe(true);
  });

  it('lets another owner take an expired lease; the old holder can no longer renew it', async () => {
    expect(await pair.a.tryAcquire('expiry', TTL)).toBe(true);
    expect(await pair.b.tryAcquire('expiry', TTL)).toBe(false);
    await pair.expire('expiry');
    expect(await pair.b.tryAcquire('expiry', TTL)).toBe(true);
    expect(await pair.a.renew('expiry', TTL)).toBe(false);
    expect(await pair.a.tryAcquire('expiry', TTL)).toBe(false);
  });

  it('is free for another owner after release, and only its holder releases it', async () => {
    expect(await pair.a.tryAcquire('release', TTL)).toBe(true);
    await pair.b.release('release');
    expect(await pair.b.tryAcquire('release', TTL)).toBe(false);
    await pair.a.release('release');
    expect(await pair.b.tryAcquire('release', TTL)).toBe(true);
  });

  it('keeps names apart', async () => {
    expect(await pair.a.tryAcquire('shard-1', TTL)).toBe(true);
    expect(await pair.b.tryAcquire('shard-2', TTL)).toBe(true);
  });

  it('LeaseKeeper: one keeper holds, the other takes over on expiry and the first reports the loss', async () => {
    const events: string[] = [];
    const keeper = (store: LeaseStore, label: string) =>
      new LeaseKeeper(store, 'kept', {
        ttlMs: TTL,
        onAcquired: () => events.push(`${label} acquired`),
        onLost: () => events.push(`${label} lost`),
      });
    const ka = keeper(pair.a, 'a');
    const kb = keeper(pair.b, 'b');
    expect(await ka.tick()).toBe(true);
    expect(await kb.tick()).toBe(false);
    expect(await ka.tick()).toBe(true);
    await pair.expire('kept');
    expect(await kb.tick()).toBe(true);
    expect(await ka.tick()).toBe(false);
    expect([ka.isHeld, kb.isHeld]).toEqual([false, true]);
    await kb.stop();
    expect(await ka.tick()).toBe(true);
    await ka.stop();
    expect(events).toEqual(['a acquired', 'b acquired', 'a lost', 'b lost', 'a acquired', 'a lost']);
    expect(await pair.b.tryAcquire('kept', TTL)).toBe(true);
  });
});

describe('LeaseKeeper', () => {
  it('reports a store failure while held as a loss', async () => {
    let fail = false;
    const store: LeaseStore = {
      owner: 'x',
      tryAcquire: async () => true,
      renew: async () => {
        if (fail) throw new Error('store down');
        return true;
      },
      release: async () => undefined,
      close: async () => undefined,
    };
    const lost: number[] = [];
    const keeper = new LeaseKeeper(store, 'job', { ttlMs: 1000, onLost: () => lost.push(1) });
    expect(await keeper.tick()).toBe(true);
    fail = true;
    expect(await keeper.tick()).toBe(false);
    expect(lost).toHaveLength(1);
    await keeper.stop();
    expect(lost).toHaveLength(1);
  });
});
