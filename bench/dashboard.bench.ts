import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
  perSec: number;
  p99Ms: number;
}

/**
 * `perClient` dashboard queries by each of 32 concurrent keep-alive clients; client c's i-th request reads
 * account (c + i * CLIENTS) mod N, so every account is read by turns and none is hot. Every answer must be the
 * expected one for its account, byte for byte but for trailing whitespace.
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
  latenciesNs.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const p99 = latenciesNs[Math.min(latenciesNs.length - 1, Math.floor(latenciesNs.length * 0.99))];
  return { perSec: latenciesNs.length / seconds, p99Ms: Number(p99) / 1e6 };
}

/** `n` Portfolio Margin accounts seeded through the API: USDT and BTC collateral, a UM and a CM position. */
async function seedAccounts(url: string, tokenService: TokenService, n: number): Promise<string[]> {
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

async function measured(
  server: ServerChild,
  tokens: string[],
  expected: string[],
  perClient: number,
): Promise<Load> {
  try {
    await load(server.url, tokens, expected, Math.max(2, Math.ceil(perClient / 10)));
    return await load(server.url, tokens, expected, perClient);
  } finally {
    await stopChild(server);
  }
}

const fmt = (l: Load): string => `${Math.round(l.perSec)}/s, p99 ${l.p99Ms.toFixed(1)} ms`;

/**
 * The dashboard query every client polls, through the whole API on MySQL, for 100 Portfolio Margin accounts in
 * rotation with 32 keep-alive clients; beside, in the same run, Apollo Server 5 and bare graphql-js serving the
 * API's own 100 answers from memory. All three answer byte-identically (Apollo, in the API too, adds a final newline).
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
    const perClient = smoke ? 3 : 150;
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
      const viaApi = await measured(api, tokens, expected, perClient);
      const answersFile = path.join(dir, 'answers.json');
      writeFileSync(
        answersFile,
        JSON.stringify(
          Object.fromEntries(
            tokens.map((t, k) => [t, (JSON.parse(expected[k]) as { data: { me: unknown } }).data.me]),
          ),
        ),
      );
      const apollo = await measured(await memoryServer('apollo', answersFile), tokens, expected, perClient);
      const bare = await measured(await memoryServer('bare', answersFile), tokens, expected, perClient);
      const label = `dashboard query via GraphQL API (server process), ${accounts} PM accounts rotating, ${CLIENTS} clients x ${perClient}`;
      return [
        {
          case: label,
          baseline: 'Apollo Server 5, same answers from memory',
          opsPerSec: viaApi.perSec,
          baselineOpsPerSec: apollo.perSec,
          note: `API ${fmt(viaApi)}; Apollo ${fmt(apollo)}`,
        },
        {
          case: label,
          baseline: 'bare graphql-js on node:http, same answers from memory',
          opsPerSec: viaApi.perSec,
          baselineOpsPerSec: bare.perSec,
          note: `API ${fmt(viaApi)}; bare graphql-js ${fmt(bare)}`,
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await db.drop();
    }
  },
};
