import { randomBytes } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import Redis from 'ioredis';
import WebSocket from 'ws';
import { startApp, type App } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { streamKey } from '../../src/services/events/redis-change-log';
import type { Clock } from '../../src/lib/clock';
import type { Backend, TestDatabase } from './backends';
import { GENEROUS_LIMITS_ENV } from './limits';

let apps = 0;

export const TEST_JWT_SECRET = 'test-secret-test-secret-test-secret-0123';

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; [k: string]: unknown } }[];
}

export interface TestApp {
  app: App;
  db: TestDatabase;
  url: string;
  wsUrl: string;
  userToken(accountId: string): Promise<string>;
  operatorToken(): Promise<string>;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string | null,
    headers?: Record<string, string>,
  ): Promise<GqlResult<T>>;
  wsClient(connectionParams?: Record<string, unknown>): Client;
  stop(): Promise<void>;
}

export interface TestAppOptions {
  /** More environment for `loadConfig` (e.g. limits a test sets explicitly). */
  env?: Record<string, string>;
  /** Another Redis than the backend's, e.g. a private redis-server (`startPrivateRedis`). */
  redisUrl?: string | null;
  /**
   * Reach the (MySQL) database through another address, e.g. `proxy.urlFor` of a `startTcpProxy`: the app
   * then opens its own pool on that URL instead of sharing the test's DataSource.
   */
  databaseVia?: (databaseUrl: string) => string;
  /** The app's clock for interest and leases (e.g. a ManualClock). */
  clock?: Clock;
  /**
   * A second instance of that app: the same database and Redis prefix (so they share events and leases);
   * stopping it leaves the database to the first.
   */
  instanceOf?: TestApp;
}

/** A GraphQL-over-HTTP client of the server at `url`. */
function gqlAt(url: string): TestApp['gql'] {
  return async (query, variables = {}, token = null, headers = {}) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as Omit<GqlResult, 'status'>;
    return { ...body, status: res.status } as never;
  };
}

/** Another instance of `t`'s deployment: the same database and the same Redis channels. */
export async function startPeer(t: TestApp): Promise<Pick<TestApp, 'app' | 'gql' | 'wsClient' | 'stop'>> {
  const app = await startApp({ ...t.app.services.config, port: 0 }, { dataSource: t.db.ds });
  const clients: Client[] = [];
  return {
    app,
    gql: gqlAt(app.server.url),
    wsClient(connectionParams = {}) {
      const client = wsClientAt(app.server.wsUrl, connectionParams);
      clients.push(client);
      return client;
    },
    async stop() {
      await Promise.all(clients.map((c) => c.dispose()));
      await app.stop();
    },
  };
}

const wsClientAt = (url: string, connectionParams: Record<string, unknown>): Client =>
  createClient({ url, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });

/**
 * The whole server on a fresh database of the backend, on a free port, no price feed, no demo accounts, and
 * generous rate budgets unless `options.env` sets them.
 */
export async function startTestApp(backend: Backend, options: TestAppOptions = {}): Promise<TestApp> {
  const shared = options.instanceOf;
  const db = shared ? { ...shared.db, close: async () => undefined } : await backend.open();
  const via = options.databaseVia && db.databaseUrl ? options.databaseVia(db.databaseUrl) : null;
  const config = {
    ...loadConfig({
      JWT_SECRET: TEST_JWT_SECRET,
      PRICE_FEED: 'none',
      SEED_DEMO: 'false',
      // A test that wants the scheduler turns it on.
      INTEREST_ACCRUAL: 'off',
      ...GENEROUS_LIMITS_ENV,
      ...options.env,
    }),
    port: 0,
    databaseUrl: via ?? db.databaseUrl,
    redisUrl: options.redisUrl === undefined ? backend.redisUrl : options.redisUrl,
    // Test apps share one Redis: each hears only its own events (jest reuses a worker's pid across files).
    redisPrefix:
      shared?.app.services.config.redisPrefix ??
      `test-${process.pid}-${++apps}-${randomBytes(3).toString('hex')}`,
  };
  const app = await startApp(config, { ...(via ? {} : { dataSource: db.ds }), clock: options.clock });
  const clients: Client[] = [];
  const gql = gqlAt(app.server.url);
  return {
    app,
    db,
    url: app.server.url,
    wsUrl: app.server.wsUrl,
    userToken: (accountId) => app.services.tokens.sign({ role: 'user', sub: accountId }),
    operatorToken: () => app.services.tokens.sign({ role: 'operator', sub: 'test-operator' }),
    gql,
    wsClient(connectionParams = {}) {
      const client = wsClientAt(app.server.wsUrl, connectionParams);
      clients.push(client);
      return client;
    },
    async stop() {
      await Promise.all(clients.map((c) => c.dispose()));
      await app.stop();
      await db.close();
      if (!shared) await dropStreams(config);
    },
  };
}

/** A test app's account streams outlive it on the shared Redis unless dropped (a Redis already gone: nothing). */
export async function dropStreams(config: Config): Promise<void> {
  if (!config.redisUrl) return;
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    const keys = Array.from({ length: config.riskShards }, (_, shard) =>
      streamKey(config.redisPrefix, shard),
    );
    await redis.del(...keys).catch(() => undefined);
  } finally {
    redis.disconnect();
  }
}

/** The error of a subscription (or query) over graphql-ws, or its first result when there is none. */
export function wsOutcome(client: Client, query: string, variables: Record<string, unknown> = {}) {
  return new Promise<{ errors?: { message: string; extensions?: { code?: string } }[]; data?: unknown }>(
    (resolve) => {
      const stop = client.subscribe(
        { query, variables },
        {
          next: (value) => {
            stop();
            resolve(value as never);
          },
          error: (errors) => resolve({ errors: errors as never }),
          complete: () => undefined,
        },
      );
    },
  );
}

/** The first `count` events of a subscription; rejects on an error or after `timeoutMs`. */
export function takeEvents<T>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  count: number,
  timeoutMs = 10_000,
): Promise<T[]> {
  const events: T[] = [];
  return new Promise<T[]>((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out with ${events.length}/${count} events: ${JSON.stringify(events)}`));
    }, timeoutMs);
    const finish = (error?: unknown) => {
      clearTimeout(timer);
      unsubscribe();
      if (error) reject(error instanceof Error ? error : new Error(JSON.stringify(error)));
      else resolve(events);
    };
    const unsubscribe = client.subscribe<T>(
      { query, variables },
      {
        next: (value) => {
          if (value.errors) return finish(value.errors);
          events.push(value.data as T);
          if (events.length >= count) finish();
        },
        error: (error) => finish(error),
        complete: () =>
          events.length >= count
            ? undefined
            : finish(new Error(`completed after ${events.length}/${count} events`)),
      },
    );
  });
}

/** Repeats `action` every `everyMs` until `until` settles (for events whose subscription may not be live yet). */
export async function repeatUntil<T>(
  until: Promise<T>,
  action: () => Promise<unknown>,
  everyMs = 100,
): Promise<T> {
  let settled = false;
  const result = until.finally(() => (settled = true));
  while (!settled) {
    await action();
    await Promise.race([result.catch(() => undefined), new Promise((r) => setTimeout(r, everyMs))]);
  }
  return result;
}

export interface Subscription<T> {
  /** The next event in order; rejects on an error or after `timeoutMs`. */
  next(timeoutMs?: number): Promise<T>;
  close(): void;
}

/** A live subscription read event by event, so a test can act after each one. */
export function subscribe<T>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Subscription<T> {
  const received: T[] = [];
  const waiting: { resolve: (v: T) => void; reject: (e: Error) => void }[] = [];
  let failure: Error | null = null;
  const fail = (error: Error) => {
    failure = error;
    for (const w of waiting.splice(0)) w.reject(error);
  };
  const close = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        if (value.errors) return fail(new Error(JSON.stringify(value.errors)));
        const waiter = waiting.shift();
        if (waiter) waiter.resolve(value.data as T);
        else received.push(value.data as T);
      },
      error: (error) => fail(error instanceof Error ? error : new Error(JSON.stringify(error))),
      complete: () => fail(new Error('subscription completed')),
    },
  );
  return {
    next(timeoutMs = 10_000) {
      if (received.length > 0) return Promise.resolve(received.shift()!);
      if (failure) return Promise.reject(failure);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no event in time')), timeoutMs);
        waiting.push({
          resolve: (v) => {
            clearTimeout(timer);
            resolve(v);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
      });
    },
    close,
  };
}
