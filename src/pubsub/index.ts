import { Repeater, SlidingBuffer } from '@repeaterjs/repeater';
import { setMaxListeners } from 'node:events';
import Redis, { type RedisOptions } from 'ioredis';
import { logger } from '../lib/logger';
import { Tally } from '../lib/tally';
import { redisErrors } from '../observability/metrics';
import type { Events } from './events';
import { redisEventTarget, type BusStats, type EventTarget as Target } from './redis-target';

export type { Events } from './events';
export type { BusStats } from './redis-target';

/**
 * The event bus between services and subscriptions: in-process by default, Redis pub/sub when REDIS_URL is
 * set so that every instance sees every event. Payloads are JSON (decimals as strings).
 */
export interface EventBus {
  publish<K extends keyof Events>(topic: K, id: string, payload: Events[K]): void;
  /** Ends when the consumer returns; a slow consumer keeps only its newest `buffer` events. */
  subscribe<K extends keyof Events>(topic: K, id: string, buffer?: number): AsyncIterableIterator<Events[K]>;
  /** Losses on the Redis side since start (all zero in-process). */
  stats(): BusStats;
  /** Listeners attached now, per routing key (`<prefix><topic>:<id>`): metrics and leak checks. */
  readonly listeners: Tally;
  close(): Promise<void>;
  /** Resolves when the bus's Redis answers a PING; null for the in-process bus (nothing to check). */
  ping(): Promise<unknown> | null;
}

/**
 * A committed change of an account, on its own topic. Nothing follows every account on the bus: the risk book
 * reads its shards' change logs instead, which lose nothing.
 */
export function publishAccountChanged(bus: EventBus, change: Events['ACCOUNT_CHANGED']): void {
  bus.publish('ACCOUNT_CHANGED', change.accountId, change);
}

/**
 * Calls `handle` with each event of `topic`/`id` until the returned function is called: a service's listener for
 * its whole run (a slow one keeps only its newest `buffer` events).
 */
export function onEachEvent<K extends keyof Events>(
  bus: EventBus,
  topic: K,
  id: string,
  buffer: number,
  handle: (event: Events[K]) => void,
): () => void {
  const events = bus.subscribe(topic, id, buffer);
  void (async () => {
    for await (const event of events) handle(event);
  })();
  return () => void events.return?.();
}

function busOver(
  target: Target,
  close: () => Promise<void>,
  stats: BusStats,
  prefix = '',
  ping: EventBus['ping'] = () => null,
): EventBus {
  /** Topic and id both in the key: a subscriber never filters a busy shared topic. */
  const routingKey = (topic: string, id: string): string => `${prefix}${topic}:${id}`;
  const listeners = new Tally();
  return {
    publish(topic, id, payload) {
      target.dispatchEvent(new CustomEvent(routingKey(topic, id), { detail: payload }));
    },
    subscribe<K extends keyof Events>(topic: K, id: string, buffer = 256) {
      const key = routingKey(topic, id);
      return new Repeater<Events[K]>((push, stop) => {
        const listener = (event: Event) => void push((event as CustomEvent<Events[K]>).detail);
        target.addEventListener(key, listener);
        listeners.add(key);
        void stop.then(() => {
          target.removeEventListener(key, listener);
          listeners.remove(key);
        });
      }, new SlidingBuffer(buffer));
    },
    stats: () => ({ ...stats }),
    listeners,
    close,
    ping,
  };
}

/**
 * `channelPrefix` names the deployment on a shared Redis: instances with the same prefix see each other's
 * events, others (another deployment, a test run) do not.
 */
export async function createEventBus(redisUrl: string | null, channelPrefix = 'pm'): Promise<EventBus> {
  const stats: BusStats = { publishFailures: 0, malformedMessages: 0, subscribeFailures: 0 };
  if (!redisUrl) {
    // One listener per subscriber of a topic: more than Node's default warning threshold of 10 is normal.
    const target = new EventTarget();
    setMaxListeners(0, target);
    return busOver(target, async () => undefined, stats);
  }
  // Both clients reconnect forever (ioredis's backoff, at most 2 s apart). A publish waits through at most
  // one failed reconnection, then is dropped and counted: during an outage events are lost, not queued
  // without bound. A (un)subscribe waits for the reconnection, after which ioredis re-subscribes the rest.
  const publishClient = new Redis(redisUrl, redisOptions(1));
  const subscribeClient = new Redis(redisUrl, redisOptions(null));
  for (const [role, client] of [
    ['publish', publishClient],
    ['subscribe', subscribeClient],
  ] as const) {
    const log = logger.child({ component: 'redis-bus', client: role });
    client.on('error', (err: Error) => {
      redisErrors.inc({ client: role });
      log.warn({ err }, 'Redis connection error');
    });
    client.on('reconnecting', (delayMs: number) => log.info({ delayMs }, 'reconnecting to Redis'));
    client.on('ready', () => log.info('connected to Redis'));
  }
  await Promise.all([publishClient.connect(), subscribeClient.connect()]);
  return busOver(
    redisEventTarget(publishClient, subscribeClient, stats),
    async () => {
      // QUIT would wait for a Redis that is down: only a connected client says goodbye.
      await Promise.allSettled(
        [publishClient, subscribeClient].map((c) => (c.status === 'ready' ? c.quit() : c.disconnect())),
      );
    },
    stats,
    `${channelPrefix}:`,
    () => publishClient.ping(),
  );
}

function redisOptions(maxRetriesPerRequest: number | null): RedisOptions {
  return {
    lazyConnect: true,
    maxRetriesPerRequest,
    retryStrategy: (times) => Math.min(times * 100, 2000),
  };
}
