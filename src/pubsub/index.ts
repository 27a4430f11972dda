import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Repeater, SlidingBuffer } from '@repeaterjs/repeater';
import Redis from 'ioredis';
import type { Events } from './events';

export type { Events } from './events';

/**
 * The event bus between services and subscriptions: in-process by default, Redis pub/sub when REDIS_URL is
 * set so that every instance sees every event. Payloads are JSON (decimals as strings).
 */
export interface EventBus {
  publish<K extends keyof Events>(topic: K, id: string, payload: Events[K]): void;
  /** Ends when the consumer returns; a slow consumer keeps only its newest `buffer` events. */
  subscribe<K extends keyof Events>(topic: K, id: string, buffer?: number): AsyncIterableIterator<Events[K]>;
  close(): Promise<void>;
}

interface Target {
  addEventListener(type: string, listener: (event: Event) => void): void;
  removeEventListener(type: string, listener: (event: Event) => void): void;
  dispatchEvent(event: Event): boolean;
}

function busOver(target: Target, close: () => Promise<void>, prefix = ''): EventBus {
  /** Topic and id both in the key: a subscriber never filters a busy shared topic. */
  const routingKey = (topic: string, id: string): string => `${prefix}${topic}:${id}`;
  return {
    publish(topic, id, payload) {
      target.dispatchEvent(new CustomEvent(routingKey(topic, id), { detail: payload }));
    },
    subscribe<K extends keyof Events>(topic: K, id: string, buffer = 256) {
      const key = routingKey(topic, id);
      return new Repeater<Events[K]>((push, stop) => {
        const listener = (event: Event) => void push((event as CustomEvent<Events[K]>).detail);
        target.addEventListener(key, listener);
        void stop.then(() => target.removeEventListener(key, listener));
      }, new SlidingBuffer(buffer));
    },
    close,
  };
}

/**
 * `channelPrefix` names the deployment on a shared Redis: instances with the same prefix see each other's
 * events, others (another deployment, a test run) do not.
 */
export async function createEventBus(redisUrl: string | null, channelPrefix = 'pm'): Promise<EventBus> {
  if (!redisUrl) return busOver(new EventTarget(), async () => undefined);
  const options = { maxRetriesPerRequest: 3, lazyConnect: true };
  const publishClient = new Redis(redisUrl, options);
  const subscribeClient = new Redis(redisUrl, options);
  await Promise.all([publishClient.connect(), subscribeClient.connect()]);
  const target = createRedisEventTarget<CustomEvent>({ publishClient, subscribeClient }) as unknown as Target;
  return busOver(
    target,
    async () => {
      await Promise.allSettled([publishClient.quit(), subscribeClient.quit()]);
    },
    `${channelPrefix}:`,
  );
}
