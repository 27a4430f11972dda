import type Redis from 'ioredis';
import { logger } from '../lib/logger';

/** What the Redis side of the bus has lost since start; read by health checks and metrics. */
export interface BusStats {
  /** Publishes Redis refused or that failed while it was down (the event is lost, never retried). */
  publishFailures: number;
  /** Messages on a subscribed channel that were not JSON (dropped). */
  malformedMessages: number;
  /** SUBSCRIBE/UNSUBSCRIBE commands that failed (ioredis re-subscribes known channels on reconnect). */
  subscribeFailures: number;
}

export interface EventTarget {
  addEventListener(type: string, listener: (event: Event) => void): void;
  removeEventListener(type: string, listener: (event: Event) => void): void;
  dispatchEvent(event: Event): boolean;
}

/**
 * An EventTarget over Redis pub/sub that never lets Redis take the process down: every command's
 * rejection is caught, counted and logged, and a message that is not JSON is dropped, never thrown out of
 * ioredis's event emitter (which would be an uncaught exception). Listeners throwing are logged, not fatal.
 */
export function redisEventTarget(publishClient: Redis, subscribeClient: Redis, stats: BusStats): EventTarget {
  const listeners = new Map<string, Set<(event: Event) => void>>();
  const log = logger.child({ component: 'redis-bus' });

  subscribeClient.on('message', (channel: string, message: string) => {
    const callbacks = listeners.get(channel);
    if (!callbacks) return;
    let detail: unknown;
    try {
      detail = message === '' ? null : JSON.parse(message);
    } catch {
      stats.malformedMessages++;
      log.warn({ channel, bytes: message.length }, 'dropped a Redis message that is not JSON');
      return;
    }
    const event = new CustomEvent(channel, { detail });
    for (const callback of callbacks) {
      try {
        callback(event);
      } catch (err) {
        log.error({ err, channel }, 'a bus listener failed');
      }
    }
  });

  const subscribeCommand = (command: 'subscribe' | 'unsubscribe', channel: string) =>
    subscribeClient[command](channel).catch((err: unknown) => {
      stats.subscribeFailures++;
      log.warn({ err, channel }, `Redis ${command} failed`);
    });

  return {
    addEventListener(type, listener) {
      let callbacks = listeners.get(type);
      if (!callbacks) {
        callbacks = new Set();
        listeners.set(type, callbacks);
        void subscribeCommand('subscribe', type);
      }
      callbacks.add(listener);
    },
    removeEventListener(type, listener) {
      const callbacks = listeners.get(type);
      if (!callbacks) return;
      callbacks.delete(listener);
      if (callbacks.size > 0) return;
      listeners.delete(type);
      void subscribeCommand('unsubscribe', type);
    },
    dispatchEvent(event) {
      const { detail } = event as CustomEvent<unknown>;
      publishClient
        .publish(event.type, detail === undefined ? '' : JSON.stringify(detail))
        .catch((err: unknown) => {
          stats.publishFailures++;
          log.warn({ err, channel: event.type }, 'Redis publish failed; the event is lost');
        });
      return true;
    },
  };
}
