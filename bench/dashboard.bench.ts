import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TokenService } from '../src/auth/tokens';
import { createScratchDatabase } from '../src/db/scratch-database';
import { ACTIVATE, DEPOSIT, FILL, RIGHT_ANSWERS, TRANSFER } from '../test/helpers/money';
import {
  CLIENTS,
  JWT_SECRET,
  post,
  startChild,
  startServer,
  stopChild,
  type ServerChild,
} from './api-server';
import type { BenchSuite } from './lib';

export const DASHBOARD = `{ me { wallets { type balances { asset net valueUsd } } positions { symbol unrealizedPnl } risk { uniMMR status accountEquity } } }`;

interface Load {
  requests: number;
  seconds: number;
  latenciesNs: bigint[];
}

/**
 * `perClient` dashboard queries by each of 32 concurrent keep-alive clients; client c's i-th request reads
 * account (c + i * CLIENTS) mod N, so every account is read by turns and none is hot. Every answer must
 * be the expected one for its account, byte for byte but for trailing whitespace.
 */
async function load(url: string, tokens: string[], expected: string[], perClient: number): Promise<Load> {
  const latenciesNs: bigint[] = [];
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let i = 0; i < perClient; i++) {
        const k = (client + i * CLIENTS) % tokens.length;
        const sent = process.hrtime.bigint();
        const res = await post(url, tokens[k], { query: DASHBOARD });
        latenciesNs.push(process.hrtime.bigint() - sent);
        if (res.status !== 200 || res.body.trimEnd() !== expected[k])
          throw new Error(
            `dashboard answer differs for account #${k}: ${res.status} ${res.body.slice(0, 300)}`,
          );
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { requests: latenciesNs.length, seconds, latenciesNs };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); null elsewhere. */
function cpuSeconds(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // Fields 14 and 15 of stat (utime, stime), in clock ticks of 1/100 s on Linux.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** One server's rounds: the median rate, the p99 over all its requests, its CPU per request. */
interface Measured {
  perSec: number;
  p99Ms: number;
  cpuUsPerRequest: number | null;
}

function summarise(rounds: Load[], cpu: number | null): Measured {
  const rates = rounds.map((r) => r.requests / r.seconds).sort((a, b) => a - b);
  const all = rounds.flatMap((r) => r.latenciesNs).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const requests = all.length;
  return {
    perSec: rates[Math.floor(rates.length / 2)],
    p99Ms: Number(all[Math.min(requests - 1, Math.floor(requests * 0.99))]) / 1e6,
    cpuUsPerRequest: cpu === null ? null : (cpu / requests) * 1e6,
  };
}

/**
 * The three servers measured in turns, round after round, so that the other work on a shared machine weighs
 * on each alike: per server, the median of its rounds' rates, and its process's CPU time per request.
 */
async function interleaved(
  servers: ServerChild[],
  tokens: string[],
  expected: string[],
  rounds: number,
  perClient: number,
): Promise<Measured[]> {
  for (const server of servers)
    await load(server.url, tokens, expected, Math.max(2, Math.ceil(perClient / 4)));
  const loads: Load[][] = servers.map(() => []);
  const cpu: (number | null)[] = servers.map(() => 0);
  for (let round = 0; round < rounds; round++) {
    for (const [i, server] of servers.entries()) {
      const before = cpuSeconds(server.child.pid);
      loads[i].push(await load(server.url, tokens, expected, perClient));
      const after = cpuSeconds(server.child.pid);
      cpu[i] = before === null || after === null || cpu[i] === null ? null : cpu[i]! + after - before;
    }
  }
  return servers.map((_, i) => summarise(loads[i], cpu[i]));
}

/** `n` Portfolio Margin accounts seeded through the API: USDT and BTC collateral, a UM and a CM position. */
export async function seedAccounts(url: string, tokenService: TokenService, n: number): Promise<string[]> {
  const op = await tokenService.sign({ role: 'operator', sub: 'bench' });
  const gql = async (query: string, variables: Record<string, unknown>, token: string) => {
    const res = await post(url, token, { query, variables });
    const body = JSON.parse(res.body) as { data: Record<string, { id: string }>; errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  const seedOne = async (i: number): Promise<string> => {
    const id = (await gql('mutation { createAccount(vipLevel: 1) { id } }', {}, op)).createAccount.id;
    const token = await tokenService.sign({ role: 'user', sub: id });
    const collateral = { USDT: String(10_000 + 137 * i), BTC: (0.1 + i / 1000).toFixed(3) };
    for (const [asset, amount] of Object.entries(collateral)) {
      await gql(DEPOSIT, { accountId: id, asset, amount, key: `seed-d-${asset}-${id}` }, op);
      const input = {
        asset,
        amount,
        from: 'SPOT',
        to: 'CROSS_MARGIN',
        idempotencyKey: `seed-t-${asset}-${id}`,
      };
      await gql(TRANSFER, { input }, token);
    }
    await gql(ACTIVATE, { answers: RIGHT_ANSWERS }, token);
    const fills = [
      {
        symbol: 'BTCUSDT',
        side: i % 2 === 0 ? 'BUY' : 'SELL',
        quantity: '0.1',
        price: String(88_000 + i * 50),
      },
      ...(i % 3 === 0 ? [{ symbol: 'ETHUSD_PERP', side: 'SELL', quantity: '10', price: '3000' }] : []),
    ];
    for (const [f, fill] of fills.entries())
      await gql(FILL, { input: { fillId: `seed-f-${f}-${id}`, accountId: id, ...fill } }, op);
    return token;
  };
  const tokens: string[] = new Array<string>(n);
  const workers = 8;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = w; i < n; i += workers) tokens[i] = await seedOne(i);
    }),
  );
  return tokens;
}

async function memoryServer(kind: 'apollo' | 'bare', answersFile: string): Promise<ServerChild> {
  return startChild('bench/dashboard-memory-server.ts', {
    DASHBOARD_SERVER: kind,
    DASHBOARD_ANSWERS: answersFile,
  });
}

const fmt = (m: Measured): string =>
  `${Math.round(m.perSec)}/s, p99 ${m.p99Ms.toFixed(1)} ms` +
  (m.cpuUsPerRequest === null ? '' : `, ${Math.round(m.cpuUsPerRequest)} us CPU/request`);

/**
 * The dashboard query every client polls, through the whole API on MySQL, for 100 Portfolio Margin accounts in
 * rotation with 32 keep-alive clients; beside, in the same run, Apollo Server 5 and bare graphql-js serving the
 * API's own 100 answers from memory. All three answer byte-identically (Apollo, in the API too, adds a final newline).
 * The three are measured in turns for 5 rounds (rates: median round; p99: over all rounds' requests).
 */
export const dashboardSuite: BenchSuite = {
  name: 'dashboard read (MySQL)',
  async run({ smoke }) {
    const serverUrl = process.env.DATABASE_URL;
    if (!serverUrl) {
      process.stderr.write('bench: dashboard needs DATABASE_URL=mysql://... (skipped)\n');
      return [];
    }
    const accounts = smoke ? 4 : 100;
    const perClient = smoke ? 3 : 60;
    const rounds = smoke ? 1 : 5;
    const db = await createScratchDatabase(serverUrl, 'pm_bench');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pm-bench-dashboard-'));
    try {
      const api = await startServer(db.url);
      let tokens: string[];
      let expected: string[];
      try {
        tokens = await seedAccounts(api.url, new TokenService(JWT_SECRET), accounts);
        expected = await Promise.all(
          tokens.map(async (token) => (await post(api.url, token, { query: DASHBOARD })).body.trimEnd()),
        );
        if (expected.some((body) => !body.startsWith('{"data":{"me":{"wallets":[')))
          throw new Error(`unexpected dashboard answer: ${expected.find((b) => !b.startsWith('{"data"'))}`);
      } catch (error) {
        await stopChild(api);
        throw error;
      }
      const answersFile = path.join(dir, 'answers.json');
      writeFileSync(
        answersFile,
        JSON.stringify(
          Object.fromEntries(
            tokens.map((t, k) => [t, (JSON.parse(expected[k]) as { data: { me: unknown } }).data.me]),
          ),
        ),
      );
      const servers = [api];
      const loadBefore = os.loadavg()[0];
      let viaApi: Measured, apollo: Measured, bare: Measured;
      try {
        servers.push(await memoryServer('apollo', answersFile), await memoryServer('bare', answersFile));
        [viaApi, apollo, bare] = await interleaved(servers, tokens, expected, rounds, perClient);
      } finally {
        for (const server of servers) await stopChild(server);
      }
      const loadAverage = `load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after`;
      const label = `dashboard query via GraphQL API (server process), ${accounts} PM accounts rotating, ${CLIENTS} clients x ${perClient} x ${rounds} rounds`;
      return [
        {
          case: label,
          baseline: 'Apollo Server 5, same answers from memory',
          opsPerSec: viaApi.perSec,
          baselineOpsPerSec: apollo.perSec,
          note: `API ${fmt(viaApi)}; Apollo ${fmt(apollo)}; ${loadAverage}`,
        },
        {
          case: label,
          baseline: 'bare graphql-js on node:http, same answers from memory',
          opsPerSec: viaApi.perSec,
          baselineOpsPerSec: bare.perSec,
          note: `API ${fmt(viaApi)}; bare graphql-js ${fmt(bare)}; ${loadAverage}`,
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await db.drop();
    }
  },
};
