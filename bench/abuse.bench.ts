import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TokenService } from '../src/auth/tokens';
import { LIMIT_DEFAULTS } from '../src/config/limits';
import { createScratchDatabase } from '../src/db/scratch-database';
import { attacks, FLOOD, type Attack, type Target } from './abuse-attacks';
import { JWT_SECRET, post, startChild, stopChild, type ServerChild } from './api-server';
import { seedAccounts } from './dashboard.bench';
import { quantile, type BenchRow, type BenchSuite } from './lib';

const PROBE = { query: '{ assets { symbol } }' };
/** The probe asks every PROBE_EVERY_MS, under every budget (the default user budget is 50 per second). */
const PROBE_EVERY_MS = 25;

/** The server's resident memory now, from /proc (Linux), bytes. */
function rssOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

interface Phase {
  probeMs: number[];
  probeFailures: number;
  peakRss: number;
  /** Outcome (error code, close code) -> count of attack steps. */
  outcomes: Record<string, number>;
}

/** The attack `attack` (an index into attacks(scale), or `flood`) in a process of its own. */
async function attacker(attack: string, scale: number, target: Target, durationMs: number) {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'bench/abuse-attacker.ts'], {
    cwd: path.resolve(__dirname, '..'),
    env: {
      ...process.env,
      ABUSE_ATTACK: attack,
      ABUSE_SCALE: String(scale),
      ABUSE_TARGET: JSON.stringify(target),
      ABUSE_DURATION_MS: String(durationMs),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const exited = new Promise<Record<string, number>>((resolve, reject) =>
    child.once('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>)
        : reject(new Error(`attacker ${attack} exited with ${code}: ${out}`)),
    ),
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.startsWith('attacking\n')) resolve();
    });
    exited.catch(reject);
  });
  return { outcomes: exited };
}

/**
 * `attack` (or nothing) for `durationMs` while a probe client sends `{ assets { symbol } }` as its own
 * account every PROBE_EVERY_MS and the server's RSS is sampled every 50 ms.
 */
async function phase(
  server: ServerChild,
  probeToken: string,
  attack: { run: (durationMs: number) => Promise<{ outcomes: Promise<Record<string, number>> }> } | null,
  durationMs: number,
): Promise<Phase> {
  const pid = server.child.pid!;
  const result: Phase = { probeMs: [], probeFailures: 0, peakRss: rssOf(pid), outcomes: {} };
  const running = attack ? await attack.run(durationMs) : null;
  const sampler = setInterval(() => (result.peakRss = Math.max(result.peakRss, rssOf(pid))), 50);
  const until = performance.now() + durationMs;
  while (performance.now() < until) {
    const sent = performance.now();
    const res = await post(server.url, probeToken, PROBE);
    const ms = performance.now() - sent;
    result.probeMs.push(ms);
    if (res.status !== 200 || !res.body.startsWith('{"data":{"assets":[')) result.probeFailures++;
    // Pacing of the load generator, not synchronisation: the next probe at the next tick.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, PROBE_EVERY_MS - ms)));
  }
  if (running) result.outcomes = await running.outcomes;
  clearInterval(sampler);
  return result;
}

/** The probe's account, the attacker's account with a READ key, seeded through the API. */
type Credentials = Omit<Target, 'url' | 'wsUrl'>;
interface Seeded {
  probeToken: string;
  credentials: Credentials;
}

async function seed(url: string): Promise<Seeded> {
  const [probeToken, userToken] = await seedAccounts(url, new TokenService(JWT_SECRET), 2);
  const res = await post(url, userToken, {
    query: 'mutation { createApiKey(label: "abuse", scopes: [READ]) { secret } }',
  });
  const { data } = JSON.parse(res.body) as { data: { createApiKey: { secret: string } } };
  return { probeToken, credentials: { userToken, readKey: data.createApiKey.secret } };
}

const DEFAULT_BUDGETS = {
  RATE_LIMIT_USER_PER_S: '50',
  RATE_LIMIT_ANON_PER_S: '20',
  RATE_LIMIT_OPERATOR_PER_S: '5000',
  RATE_LIMIT_AUTH_FAIL_PER_MIN: '20',
  WS_MAX_CONNECTIONS_PER_PRINCIPAL: '20',
};

const ms = (values: number[], q: number) => quantile([...values], q);
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

function row(attack: Attack, during: Phase, baseline: Phase, budgets: string, durationMs: number): BenchRow {
  const [p99, base99] = [ms(during.probeMs, 0.99), ms(baseline.probeMs, 0.99)];
  const steps = Object.values(during.outcomes).reduce((a, b) => a + b, 0);
  const outcomes = Object.entries(during.outcomes)
    .map(([o, count]) => `${o} x${count}`)
    .join(', ');
  return {
    case: `probe p99 during: ${attack.name} (${attack.workers} connections, ${budgets})`,
    baseline: 'probe p99 without attack (ratio = during / without)',
    opsPerSec: 0,
    baselineOpsPerSec: 0,
    shown: {
      value: `${p99.toFixed(1)} ms`,
      baselineValue: `${base99.toFixed(1)} ms`,
      ratio: (p99 / base99).toPrecision(3),
    },
    note:
      `probe p50 ${ms(during.probeMs, 0.5).toFixed(1)} ms (without ${ms(baseline.probeMs, 0.5).toFixed(1)} ms), ` +
      `${during.probeMs.length} probes, ${during.probeFailures} failed; server peak RSS ${mib(during.peakRss)} ` +
      `(without attack ${mib(baseline.peakRss)}); attack steps ${steps} (${(steps / (durationMs / 1000)).toFixed(1)}/s): ${outcomes}`,
  };
}

async function underServer<T>(
  databaseUrl: string,
  env: Record<string, string>,
  run: (server: ServerChild) => Promise<T>,
): Promise<T> {
  const server = await startChild('src/main.ts', {
    PORT: '0',
    DATABASE_URL: databaseUrl,
    REDIS_URL: '',
    JWT_SECRET,
    PRICE_FEED: 'none',
    SEED_DEMO: 'false',
    INTEREST_ACCRUAL: 'off',
    ...env,
  });
  try {
    return await run(server);
  } finally {
    await stopChild(server);
  }
}

/**
 * Issue 8's abuse figures: a server process (MariaDB, default operation and transport limits), a probe that
 * asks `{ assets { symbol } }` every 25 ms, and per attack the probe's p99 while it runs next to the p99
 * without it, and the server's peak RSS. Generous rate budgets for all but the flood, so that every attack
 * request reaches the operation or transport limit; the flood runs against a second server process with the
 * default budgets, beside its own no-attack baseline.
 */
export const abuseSuite: BenchSuite = {
  name: 'abuse (MySQL)',
  async run({ smoke }) {
    const serverUrl = process.env.DATABASE_URL;
    if (!serverUrl) {
      process.stderr.write('bench: abuse needs DATABASE_URL=mysql://... (skipped)\n');
      return [];
    }
    const durationMs = smoke ? 300 : 8000;
    const scale = smoke ? 0.01 : 1;
    const db = await createScratchDatabase(serverUrl, 'pm_bench');
    try {
      const rows: BenchRow[] = [];
      const targetOf = (server: ServerChild, credentials: Credentials): Target => ({
        ...credentials,
        url: server.url,
        wsUrl: server.url.replace(/^http/, 'ws'),
      });
      /** The no-attack baseline (after a warm-up), then each attack (a key of attacks(scale), or `flood`). */
      const measureAll = async (
        server: ServerChild,
        seeded: Seeded,
        list: [string, Attack][],
        budgets: string,
      ) => {
        await phase(server, seeded.probeToken, null, durationMs / 4);
        const baseline = await phase(server, seeded.probeToken, null, durationMs);
        for (const [key, attack] of list) {
          process.stderr.write(`bench: abuse: ${attack.name}\n`);
          const run = (ms: number) => attacker(key, scale, targetOf(server, seeded.credentials), ms);
          const during = await phase(server, seeded.probeToken, { run }, durationMs);
          rows.push(row(attack, during, baseline, budgets, durationMs));
        }
      };
      // The message budget is a transport limit: at its default here, like the others.
      const transport = { WS_MAX_MESSAGES_PER_S: String(LIMIT_DEFAULTS.WS_MAX_MESSAGES_PER_S) };
      const seeded = await underServer(db.url, transport, async (server) => {
        const seededHere = await seed(server.url);
        const list = attacks(scale).map((attack, i): [string, Attack] => [String(i), attack]);
        await measureAll(server, seededHere, list, 'generous rate budgets');
        return seededHere;
      });
      await underServer(db.url, DEFAULT_BUDGETS, (server) =>
        measureAll(server, seeded, [['flood', FLOOD]], 'default rate budgets'),
      );
      return rows;
    } finally {
      await db.drop();
    }
  },
};
