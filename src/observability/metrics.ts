import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Every Prometheus metric of the process, served at `/metrics`. Services record into the objects exported
 * here (one module, so names and labels stay consistent); values that already exist elsewhere (open sockets,
 * pool connections) are read at scrape time from sources registered by whoever owns them.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

const SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** GraphQL operations over HTTP: `operation` is the operation name (bounded, see operationLabel). */
export const operationDuration = new Histogram({
  name: 'graphql_operation_duration_seconds',
  help: 'GraphQL operations over HTTP, by operation name, type and outcome (ok, or the first error code).',
  labelNames: ['operation', 'type', 'outcome'] as const,
  buckets: SECONDS_BUCKETS,
  registers: [registry],
});

/**
 * From a price batch being written to the price snapshot to a `marginRatio` event on those prices being handed
 * to graphql-ws (tick-to-push.ts): the book's decision, the push and the subscriber's coalescing included.
 */
export const tickToPushLag = new Histogram({
  name: 'risk_push_tick_to_push_seconds',
  help: 'Time from a price batch being written to a marginRatio event on it being handed to graphql-ws.',
  buckets: SECONDS_BUCKETS,
  registers: [registry],
});

/** The risk book's recompute: `scope` slice (one time slice of the drain) or drain (dirty set to empty). */
export const bookRecomputeDuration = new Histogram({
  name: 'risk_book_recompute_seconds',
  help: 'Risk-book recompute time: each drain slice (scope="slice") and each drain of the dirty set to empty (scope="drain").',
  labelNames: ['scope'] as const,
  buckets: SECONDS_BUCKETS,
  registers: [registry],
});

/** Incremented on every `error` event of a Redis client; `client` names its job (publish, subscribe, ...). */
export const redisErrors = new Counter({
  name: 'redis_errors_total',
  help: 'Errors reported by Redis clients, by client.',
  labelNames: ['client'] as const,
  registers: [registry],
});

export interface SocketCounts {
  sockets: number;
  subscriptions: number;
}
export interface PoolCounts {
  total: number;
  idle: number;
  /** Requests waiting for a connection. */
  waiting: number;
  limit: number;
}

export interface RiskStatusCounts {
  /** Transitions this instance persisted and announced since it started. */
  announced: number;
  /** Open `riskStatusChanged` subscriptions (one account's or the operators' feed). */
  feeds: number;
}

/** What live subscriptions hold open; all of it goes back to its idle level when they end. */
export interface LiveCounts {
  /** Listeners on the shared bus (Redis channels with REDIS_URL) and on the in-process one (prices). */
  busListeners: number;
  localBusListeners: number;
  /** Accounts the risk push watches (one per account, whatever its number of subscribers). */
  watchedAccounts: number;
  /** Ledger followers (walletUpdated, ledgerEntries). */
  ledgerFollowers: number;
}

const socketSources = new Set<() => SocketCounts>();
const liveSources = new Set<() => LiveCounts>();
const poolSources = new Set<() => PoolCounts | null>();
const statusSources = new Set<() => RiskStatusCounts>();

/** Registers a source read at each scrape; the returned function unregisters it (on server stop). */
export function countSockets(source: () => SocketCounts): () => void {
  socketSources.add(source);
  return () => socketSources.delete(source);
}

export function countLive(source: () => LiveCounts): () => void {
  liveSources.add(source);
  return () => liveSources.delete(source);
}

export function countPool(source: () => PoolCounts | null): () => void {
  poolSources.add(source);
  return () => poolSources.delete(source);
}

export function countRiskStatus(source: () => RiskStatusCounts): () => void {
  statusSources.add(source);
  return () => statusSources.delete(source);
}

const sum = <T>(sources: Set<() => T | null>, pick: (t: T) => number): number => {
  let total = 0;
  for (const source of sources) {
    const value = source();
    if (value) total += pick(value);
  }
  return total;
};

new Gauge({
  name: 'graphql_ws_sockets',
  help: 'Open WebSocket connections.',
  registers: [registry],
  collect() {
    this.set(sum(socketSources, (c) => c.sockets));
  },
});

new Gauge({
  name: 'graphql_ws_subscriptions',
  help: 'Active subscriptions over WebSocket.',
  registers: [registry],
  collect() {
    this.set(sum(socketSources, (c) => c.subscriptions));
  },
});

new Gauge({
  name: 'live_listeners',
  help: 'What live subscriptions hold: bus listeners (shared, local), watched accounts, ledger followers.',
  labelNames: ['kind'] as const,
  registers: [registry],
  collect() {
    for (const kind of ['busListeners', 'localBusListeners', 'watchedAccounts', 'ledgerFollowers'] as const)
      this.set(
        { kind },
        sum(liveSources, (c) => c[kind]),
      );
  },
});

new Gauge({
  name: 'db_pool_connections',
  help: 'Database pool connections by state (in use, idle, waiting requests, limit); MySQL only.',
  labelNames: ['state'] as const,
  registers: [registry],
  collect() {
    const counts = { total: 0, idle: 0, waiting: 0, limit: 0 };
    for (const key of Object.keys(counts) as (keyof PoolCounts)[])
      counts[key] = sum(poolSources, (c) => c[key]);
    this.set({ state: 'used' }, counts.total - counts.idle);
    this.set({ state: 'idle' }, counts.idle);
    this.set({ state: 'waiting' }, counts.waiting);
    this.set({ state: 'limit' }, counts.limit);
  },
});

new Gauge({
  name: 'risk_status_transitions_announced',
  help: 'Risk status transitions persisted and announced by this process since it started.',
  registers: [registry],
  collect() {
    this.set(sum(statusSources, (c) => c.announced));
  },
});

new Gauge({
  name: 'risk_status_feed_subscriptions',
  help: 'Open riskStatusChanged subscriptions (one account, or every account for operators).',
  registers: [registry],
  collect() {
    this.set(sum(statusSources, (c) => c.feeds));
  },
});

const MAX_OPERATION_NAMES = 200;
const seenOperations = new Set<string>();

/** A client-chosen operation name as a label: at most 200 distinct names per process, then `other`. */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  if (!/^[_A-Za-z][_0-9A-Za-z]{0,63}$/.test(name)) return 'other';
  if (seenOperations.has(name)) return name;
  if (seenOperations.size >= MAX_OPERATION_NAMES) return 'other';
  seenOperations.add(name);
  return name;
}
