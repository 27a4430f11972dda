import WebSocket from 'ws';
import { post } from './api-server';

/** Who and where an attack runs: the server's URL and the attacker's credentials. */
export interface Target {
  url: string;
  wsUrl: string;
  /** A user's bearer token (another account than the probe's). */
  userToken: string;
  /** A READ-scoped API key's secret, of that account. */
  readKey: string;
}

export interface Attack {
  name: string;
  /** Concurrent attacking connections. */
  workers: number;
  /** One attacking step; resolves to the outcome (an error code, a close code) for the tally. */
  step(target: Target): Promise<string>;
}

const aliases = (n: number, field: string) =>
  Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ');

/** The first error code of a GraphQL answer, or `ok`. */
function outcome(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as { errors?: { extensions?: { code?: string } }[] };
    return parsed.errors?.[0]?.extensions?.code ?? (status === 200 ? 'ok' : `HTTP ${status}`);
  } catch {
    return `HTTP ${status}`;
  }
}

function httpAttack(
  name: string,
  workers: number,
  query: string,
  credentials: (target: Target) => { token: string | null; headers?: Record<string, string> },
): Attack {
  return {
    name,
    workers,
    async step(target) {
      const { token, headers } = credentials(target);
      const res = await post(target.url, token, { query }, headers);
      return outcome(res.status, res.body);
    },
  };
}

async function openSocket(wsUrl: string): Promise<WebSocket> {
  const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return socket;
}

const closeOf = (socket: WebSocket) =>
  new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));

/** One socket per step sending one message of `bytes`: the server closes it (1009) on the frame's header. */
function oversizeWsAttack(bytes: number, workers: number): Attack {
  const message = Buffer.alloc(bytes, 0x61);
  return {
    name: `graphql-ws messages of ${(bytes / 2 ** 20).toFixed(0)} MiB`,
    workers,
    async step(target) {
      const socket = await openSocket(target.wsUrl);
      const closed = closeOf(socket);
      socket.on('error', () => undefined);
      socket.send(message);
      return `close ${await closed}`;
    },
  };
}

/** One anonymous socket per step that subscribes `count` times, until all beyond the limit are refused. */
function subscriptionsAttack(count: number, maxPerSocket: number): Attack {
  const query = 'subscription { prices(symbols: ["BTC"]) { symbol } }';
  return {
    name: `${count.toLocaleString('en-US')} subscriptions on one socket`,
    workers: 2,
    async step(target) {
      const socket = await openSocket(target.wsUrl);
      socket.on('error', () => undefined);
      const closed = closeOf(socket);
      let errors = 0;
      let code = '?';
      const refused = new Promise<void>((resolve) => {
        socket.on('message', (data) => {
          const message = JSON.parse(String(data)) as {
            type: string;
            payload?: { extensions?: { code?: string } }[];
          };
          if (message.type === 'connection_ack') {
            for (let i = 0; i < count; i++)
              socket.send(JSON.stringify({ id: String(i), type: 'subscribe', payload: { query } }));
          }
          if (message.type !== 'error') return;
          code = message.payload?.[0]?.extensions?.code ?? '?';
          if (++errors === count - maxPerSocket) resolve();
        });
      });
      socket.send(JSON.stringify({ type: 'connection_init' }));
      const result = await Promise.race([refused.then(() => code), closed.then((c) => `close ${c}`)]);
      socket.close();
      return result;
    },
  };
}

/**
 * The attacks of issue 8, each sized as there (`scale` 1) or tiny (`--smoke`). The first ones run against a
 * server whose rate budgets are generous, so that every request reaches the operation and transport limits
 * (the worst case: an attacker spread over many addresses and keys); the flood runs against the defaults.
 */
export function attacks(scale: number): Attack[] {
  const n = (count: number) => Math.max(2, Math.round(count * scale));
  return [
    httpAttack(
      `${n(20_000).toLocaleString('en-US')} failing aliases, anonymous`,
      4,
      `{ ${aliases(n(20_000), 'nope')} }`,
      () => ({ token: null }),
    ),
    httpAttack(
      `${n(5_000).toLocaleString('en-US')} aliases of liquidationPrices, READ API key`,
      4,
      `{ me { ${aliases(n(5_000), 'liquidationPrices { asset price }')} } }`,
      (target) => ({ token: null, headers: { 'x-api-key': target.readKey } }),
    ),
    httpAttack(
      `${n(1_000).toLocaleString('en-US')} aliases of ledger(first: 200), user token`,
      4,
      `{ me { ${aliases(n(1_000), 'ledger(first: 200) { nodes { id amount } }')} } }`,
      (target) => ({ token: target.userToken }),
    ),
    oversizeWsAttack(Math.max(2 ** 21, Math.round(50 * 2 ** 20 * scale)), 2),
    // At least a few beyond WS_MAX_SUBSCRIPTIONS (100), even in a smoke run.
    subscriptionsAttack(Math.max(n(10_000), 150), 100),
  ];
}

/** Over the default budgets: one account's cheap queries, as fast as 16 connections send them. */
export const FLOOD: Attack = httpAttack(
  'a flood of { assets { symbol } } by one account over RATE_LIMIT_USER_PER_S',
  16,
  '{ assets { symbol } }',
  (target) => ({ token: target.userToken }),
);
