import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TokenService } from '../src/auth/tokens';
import type { ProtocolSocket } from '../test/helpers/ws-protocol';
import { JWT_SECRET, post, START_NODE_FLAGS, startChild, stopChild, type ServerChild } from './api-server';
import { processCpuMs, quantile, type BenchRow, type BenchSuite } from './lib';
import { btcPriceOf, Fleet, joinGraphqlClients, joinRawClients, percentile } from './live-push-clients';
import { BTC_SYMBOLS, seedLivePushAccounts } from './live-push-seed';

const PUBLISH = 'mutation($p: [PriceInput!]!) { publishPrices(prices: $p) }';
/** Longest wait for every client to have a tick before the run is called a failure (a backlog). */
const DELIVERY_DEADLINE_MS = 120_000;

interface Sizes {
  subscribers: number[];
  singleTicks: number;
  rate: { perSec: number; seconds: number };
}

const FULL: Sizes = { subscribers: [1000, 5000, 10_000], singleTicks: 30, rate: { perSec: 20, seconds: 10 } };
const SMOKE: Sizes = { subscribers: [20], singleTicks: 2, rate: { perSec: 20, seconds: 0.5 } };

const stats = (latencies: number[]) => {
  const sorted = latencies.sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted[sorted.length - 1] };
};

async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: not delivered within ${DELIVERY_DEADLINE_MS} ms`)),
      DELIVERY_DEADLINE_MS,
    );
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * P2: tick to delivery. The API server (its own process, SQLite file seeded with bulk INSERTs, in-process bus)
 * serves 1k, 5k and 10k graphql-ws clients in this process, each a distinct PM account subscribed to `marginRatio`.
 * The catalogue is a Binance-sized universe and each account holds 5 to 30 assets and positions, BTC among them
 * (live-push-seed.ts). A tick is one `publishPrices` of BTC and its symbols' marks; a client's latency runs from just before
 * that request to its receipt of the new value. Next to it, in the same run and from the same client process,
 * the floor: a bare `ws` server (raw-broadcast-server.ts) sending a message of the same size, serialised once,
 * to as many clients. Then 20 ticks/s for 10 s: no backlog (every client gets the last tick), p99 next to the
 * single-tick p99. ops = 1 / p99 latency, so the ratio is the floor's p99 over ours (1 = the floor).
 * The API server runs with `npm start`'s node flags. BENCH_SERVER_PROF=<dir> writes a CPU profile of it;
 * BENCH_SERVER_NODE_OPTIONS adds node flags (`--trace-gc`).
 */
export const livePushSuite: BenchSuite = {
  name: 'live push (P2)',
  async run({ smoke }) {
    const sizes = { ...(smoke ? SMOKE : FULL) };
    // BENCH_P2_SUBSCRIBERS=1000,5000: other sizes (e.g. while profiling one).
    const only = process.env.BENCH_P2_SUBSCRIBERS;
    if (only) sizes.subscribers = only.split(',').map(Number);
    const most = Math.max(...sizes.subscribers);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pm-live-push-'));
    let api: ServerChild | null = null;
    let raw: ServerChild | null = null;
    const gqlSockets: ProtocolSocket[] = [];
    try {
      const ids = await seedLivePushAccounts(path.join(dir, 'portfolio-margin.sqlite'), most);
      const tokens = new TokenService(JWT_SECRET);
      const userTokens = await Promise.all(ids.map((id) => tokens.sign({ role: 'user', sub: id })));
      const operator = await tokens.sign({ role: 'operator', sub: 'bench' });
      api = await startChild(
        'src/main.ts',
        {
          PORT: '0',
          DATA_DIR: dir,
          DATABASE_URL: '',
          REDIS_URL: '',
          JWT_SECRET,
          PRICE_FEED: 'none',
          SEED_DEMO: 'false',
          INTEREST_ACCRUAL: 'off',
        },
        [
          ...START_NODE_FLAGS,
          ...(process.env.BENCH_SERVER_PROF
            ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVER_PROF}`]
            : []),
          ...(process.env.BENCH_SERVER_NODE_OPTIONS?.split(' ').filter(Boolean) ?? []),
        ],
      );
      raw = await startChild('bench/raw-broadcast-server.ts', {});
      const apiUrl = api.url;
      const wsUrl = apiUrl.replace(/^http/, 'ws');
      const rawWs = raw.url.replace(/^http/, 'ws');
      const gql = new Fleet();
      const floor = new Fleet();
      const rows: BenchRow[] = [];

      const gqlTick = async (k: number) => {
        gql.publishing(k);
        const res = await post(apiUrl, operator, {
          query: PUBLISH,
          variables: { p: BTC_SYMBOLS.map((symbol) => ({ symbol, price: btcPriceOf(k) })) },
        });
        if (res.status !== 200 || res.body.includes('"errors"'))
          throw new Error(`publishPrices: ${res.body}`);
      };
      const rawTick = async (k: number, bytes: number) => {
        floor.publishing(k);
        await post(`${raw!.url}/tick`, operator, { tick: k, bytes });
      };

      for (const n of sizes.subscribers) {
        process.stderr.write(`  ${n} subscribers...\n`);
        // Both fleets live in this process, under its descriptor limit: the floor's sockets come and go, and
        // join while the graphql-ws fleet is still at the previous size (the first size: after it, for the
        // message size).
        if (gql.size === 0)
          gqlSockets.push(...(await joinGraphqlClients(gql, wsUrl, userTokens.slice(0, n))));
        const size = [...gql.bytes].sort((a, b) => a - b)[Math.floor(gql.bytes.length / 2)];
        const rawSockets = await joinRawClients(floor, rawWs, n);
        const rawCpu: number[] = [];
        for (let r = 0; r < sizes.singleTicks + 1; r++) {
          const k = floor.tick + 1;
          const cpu = processCpuMs(raw.child.pid);
          await rawTick(k, size);
          await within(floor.reached(k), `raw tick ${k}`);
          if (r === 0)
            floor.takeLatencies(); // warm-up
          else if (cpu !== null) rawCpu.push(processCpuMs(raw.child.pid)! - cpu);
        }
        const rawSingle = stats(floor.takeLatencies());
        for (const s of rawSockets) s.terminate();
        floor.leave();
        gqlSockets.push(...(await joinGraphqlClients(gql, wsUrl, userTokens.slice(gql.size, n))));

        const apiCpu: number[] = [];
        for (let r = 0; r < sizes.singleTicks + 1; r++) {
          const k = gql.tick + 1;
          const cpu = processCpuMs(api.child.pid);
          await gqlTick(k);
          await within(gql.reached(k), `tick ${k}`);
          if (r === 0)
            gql.takeLatencies(); // warm-up
          else if (cpu !== null) apiCpu.push(processCpuMs(api.child.pid)! - cpu);
        }
        const single = stats(gql.takeLatencies());

        const ticks = Math.round(sizes.rate.perSec * sizes.rate.seconds);
        const start = performance.now();
        const first = gql.tick + 1;
        // One publish at a time: the server stamps each batch when it arrives, so two in flight could land in
        // the wrong order. A tick is sent when due, or when the previous one was answered if that is later.
        for (let i = 0; i < ticks; i++) {
          const due = start + (i * 1000) / sizes.rate.perSec;
          const wait = due - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          await gqlTick(first + i);
        }
        const published = performance.now() - start;
        await within(gql.reached(first + ticks - 1), `the last of ${ticks} ticks at ${sizes.rate.perSec}/s`);
        const settledMs = performance.now() - start - published;
        const rate = stats(gql.takeLatencies());

        const ms = (x: number) => `${x.toFixed(1)} ms`;
        rows.push({
          case: `one BTC tick to ${n.toLocaleString('en-US')} marginRatio subscribers (ops = 1 / p99)`,
          baseline: `raw ws broadcast, ${size} B message`,
          opsPerSec: 1000 / single.p99,
          baselineOpsPerSec: 1000 / rawSingle.p99,
          note:
            `graphql-ws p50 ${ms(single.p50)} p99 ${ms(single.p99)}; raw ws p50 ${ms(rawSingle.p50)} p99 ` +
            `${ms(rawSingle.p99)} (${sizes.singleTicks} ticks each, ${size} B per message)` +
            (apiCpu.length > 0 && rawCpu.length > 0
              ? `; server CPU per tick (median) ${ms(quantile(apiCpu, 0.5))} ` +
                `(${((quantile(apiCpu, 0.5) * 1000) / n).toFixed(0)} us per subscriber), floor's ${ms(quantile(rawCpu, 0.5))}`
              : ''),
        });
        rows.push({
          case: `${sizes.rate.perSec} BTC ticks/s for ${sizes.rate.seconds} s, ${n.toLocaleString('en-US')} subscribers (ops = 1 / p99)`,
          baseline: 'single-tick p99, same server',
          opsPerSec: 1000 / rate.p99,
          baselineOpsPerSec: 1000 / single.p99,
          note:
            `p50 ${ms(rate.p50)} p99 ${ms(rate.p99)} max ${ms(rate.max)}; ${ticks} ticks published in ` +
            `${ms(published)}, the last one with every client ${ms(settledMs)} after the last publish`,
        });
      }
      return rows;
    } finally {
      await Promise.all(gqlSockets.map((s) => s.terminate()));
      if (api) await stopChild(api);
      if (raw) await stopChild(raw);
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
