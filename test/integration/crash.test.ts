/**
 * Issue 4, exactly once across a crash: the real server runs as a child process (`node -r @swc-node/register
 * src/main.ts`), takes a concurrent load of keyed transfers, loans, repayments and fills, and is killed with
 * SIGKILL in the middle of it (three times). Restarted on the same database, it gets every request again under its original
 * key: what had been answered must be answered the same way, what had not must now take effect exactly once,
 * and the books must hold. MySQL/MariaDB when DATABASE_URL is set (a database of its own); otherwise the
 * same scenario on an SQLite file in a temporary DATA_DIR.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { freePort } from '../helpers/free-port';
import { assertNoUnhandledRejection } from '../helpers/main-process';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { TokenService } from '../../src/auth/tokens';
import { openDataSource } from '../../src/db/data-source';
import { auditLedger } from '../../src/services/ledger/audit';
import { backends, type TestDatabase } from '../helpers/backends';
import {
  answerProblems,
  classicOp,
  exactlyOnceViolations,
  freeWentNegative,
  hourlyRates,
  keysWithRecords,
  opRequest,
  pick,
  pmOp,
  postRaw,
  prng,
  sendOp,
  snapshot,
  type Acct,
  type Op,
  type RawAnswer,
  type Snapshot,
} from '../helpers/keyed-load';
import { ACTIVATE, BORROW, DEPOSIT, RIGHT_ANSWERS, TRANSFER } from '../helpers/money';
import { GENEROUS_LIMITS_ENV } from '../helpers/limits';
import { TEST_JWT_SECRET } from '../helpers/test-app';

const REPO = path.resolve(__dirname, '../..');
const SEED = Number(process.env.CONCURRENCY_SEED ?? Date.now() % 2 ** 31);
const CLIENTS = 16;
const OPS_PER_CLIENT = 30;
const CRASHES = 3;
const mysqlBackend = backends().find((b) => b.name === 'mysql') ?? null;

interface Child {
  proc: ChildProcess;
  url: string;
  output: string[];
  exited: Promise<void>;
  alive(): boolean;
}

/** What the most recently started server printed (for failure messages). */
let lastOutput: string[] = [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The production entry point on a free port; resolves once /health answers. */
async function startChild(env: Record<string, string>): Promise<Child> {
  const port = await freePort();
  const base = { ...process.env };
  for (const name of [
    'DATABASE_URL',
    'REDIS_URL',
    'DATA_DIR',
    'PORT',
    'PRICE_FEED',
    'SEED_DEMO',
    'JWT_SECRET',
    // The child logs (not silent as in a jest worker), so that an unhandled rejection in it fails the test.
    'JEST_WORKER_ID',
    'LOG_LEVEL',
  ])
    delete base[name];
  const proc = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
    cwd: REPO,
    env: {
      ...base,
      ...GENEROUS_LIMITS_ENV,
      ...env,
      PORT: String(port),
      JWT_SECRET: TEST_JWT_SECRET,
      PRICE_FEED: 'none',
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  lastOutput = output;
  proc.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  proc.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  let running = true;
  const exited = new Promise<void>((resolve) =>
    proc.once('exit', () => {
      running = false;
      resolve();
    }),
  );
  const child: Child = {
    proc,
    url: `http://127.0.0.1:${port}/graphql`,
    output,
    exited,
    alive: () => running,
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (!running) throw new Error(`server exited during start:\n${output.join('')}`);
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`server did not answer within 30 s:\n${output.join('')}`);
    }
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return child;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
}

async function kill(child: Child | null): Promise<void> {
  if (!child || !child.alive()) return;
  child.proc.kill('SIGKILL');
  await child.exited;
  assertNoUnhandledRejection(child.output.join(''));
}

/**
 * Sends the request completely and closes the connection `afterMs` later, without waiting for the answer.
 * (A server still reading the body may drop the request; one already at work goes on and commits.)
 */
function sendAndHangUp(url: string, op: Op, afterMs: number): Promise<void> {
  const { query, variables } = opRequest(op);
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve) => {
    const req = http.request(url, {
      method: 'POST',
      agent: false,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        authorization: `Bearer ${op.token}`,
      },
    });
    req.on('error', () => resolve());
    req.on('finish', () =>
      setTimeout(() => {
        req.destroy();
        resolve();
      }, afterMs),
    );
    req.end(body);
  });
}

async function call<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  token: string | null,
): Promise<T> {
  const answer = await postRaw(url, query, variables, token);
  const body = JSON.parse(answer.text) as { data?: T; errors?: unknown[] };
  if (body.errors || !body.data) {
    throw new Error(
      `setup request failed: ${answer.text}\nserver output:\n${lastOutput.join('').slice(-3000)}`,
    );
  }
  return body.data;
}

describe(`exactly once across a SIGKILL of the server on ${mysqlBackend ? 'MySQL' : 'an SQLite file'}`, () => {
  let db: TestDatabase | null = null;
  let dataDir: string | null = null;
  let sqliteDs: DataSource | null = null;
  let child: Child | null = null;
  let childEnv: Record<string, string>;

  /** The test's own connection to the server's database. */
  async function database(): Promise<DataSource> {
    if (db) return db.ds;
    sqliteDs ??= await openDataSource({ databaseUrl: null, dataDir: dataDir! });
    return sqliteDs;
  }
  async function releaseDatabase(): Promise<void> {
    // An SQLite file is left to the server alone while it may be killed: no second process holds it then.
    if (sqliteDs) await sqliteDs.destroy();
    sqliteDs = null;
  }

  beforeAll(async () => {
    if (mysqlBackend) {
      db = await mysqlBackend.open();
      childEnv = { DATABASE_URL: db.databaseUrl! };
    } else {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-crash-'));
      childEnv = { DATA_DIR: dataDir };
    }
  });

  afterAll(async () => {
    await kill(child);
    await releaseDatabase();
    await db?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it(`answers every key the same way and moves its money once (seed ${SEED})`, async () => {
    const tokens = new TokenService(TEST_JWT_SECRET);
    const operator = await tokens.sign({ role: 'operator', sub: 'crash-test' });
    child = await startChild(childEnv);
    const url0 = child.url;

    // Accounts through the API: three in Portfolio Margin (with a loan far larger than all repayments of
    // the run), three CLASSIC.
    const accounts: Acct[] = [];
    let setupKeys = 0;
    const key = () => `setup-${++setupKeys}`;
    for (let i = 0; i < 6; i++) {
      const pm = i < 3;
      const { createAccount } = await call<{ createAccount: { id: string } }>(
        url0,
        'mutation($v: Int) { createAccount(vipLevel: $v) { id } }',
        { v: pm ? 1 : 0 },
        operator,
      );
      const acct: Acct = {
        id: createAccount.id,
        token: await tokens.sign({ role: 'user', sub: createAccount.id }),
        pm,
      };
      const funds: [string, string][] = pm
        ? [
            ['USDT', '200000'],
            ['BTC', '3'],
          ]
        : [
            ['USDT', '40000'],
            ['BTC', '1.5'],
          ];
      for (const [asset, amount] of funds)
        await call(url0, DEPOSIT, { accountId: acct.id, asset, amount, key: key() }, operator);
      if (pm) {
        for (const [asset, amount] of funds) {
          await call(
            url0,
            TRANSFER,
            { input: { asset, amount, from: 'SPOT', to: 'CROSS_MARGIN', idempotencyKey: key() } },
            acct.token,
          );
        }
        await call(url0, ACTIVATE, { answers: RIGHT_ANSWERS }, acct.token);
        for (const [asset, amount] of [
          ['USDT', '20000'],
          ['BTC', '1'],
        ]) {
          await call(url0, DEPOSIT, { accountId: acct.id, asset, amount, key: key() }, operator);
          await call(url0, BORROW, { input: { asset, amount, idempotencyKey: key() } }, acct.token);
        }
      }
      accounts.push(acct);
    }
    const rates = await hourlyRates(url0);
    const before: Snapshot = await snapshot(
      await database(),
      accounts.map((a) => a.id),
    );
    await releaseDatabase();

    const ops: Op[] = [];
    for (let c = 0; c < CLIENTS; c++) {
      const rand = prng(SEED + 104_729 * (c + 1));
      for (let i = 0; i < OPS_PER_CLIENT; i++) {
        const acct = pick(rand, accounts);
        const k = `crash-${c}-${i}`;
        ops.push(acct.pm ? pmOp(rand, acct, k, operator) : classicOp(rand, acct, k, operator));
      }
    }
    const first = new Map<Op, RawAnswer>();

    // Load, killed with SIGKILL at a random moment once an eighth to a quarter of the open requests were
    // answered (the server warm, requests of every account in flight), CRASHES times over: each client sends
    // its own requests in order and, after a restart, goes on with those that never got an answer.
    const plans = Array.from({ length: CLIENTS }, (_, c) =>
      ops.slice(c * OPS_PER_CLIENT, (c + 1) * OPS_PER_CLIENT),
    );
    const rand = prng(SEED);
    const hangUp = new Set(ops.filter(() => rand() < 0.12));
    const abandoned = new Set<Op>();
    for (let crash = 0; crash < CRASHES; crash++) {
      const victim: Child = crash === 0 ? child : (child = await startChild(childEnv));
      const open = ops.length - first.size;
      const quota = first.size + Math.max(8, Math.floor((open * (1 + rand())) / 8));
      let killed: Promise<void> | null = null;
      let failed = 0;
      await Promise.all(
        plans.map(async (plan) => {
          for (const op of plan) {
            if (first.has(op) || abandoned.has(op)) continue;
            if (hangUp.has(op)) {
              // An impatient client: the request reaches the server, the client is gone before any answer
              // and asks again only at the very end.
              abandoned.add(op);
              await sendAndHangUp(victim.url, op, 10 + rand() * 50);
              continue;
            }
            try {
              first.set(op, await sendOp(victim.url, op));
            } catch {
              failed++; // no answer: the connection died with the server
              return;
            }
            if (first.size >= quota) killed ??= sleep(rand() * 20).then(() => kill(victim));
          }
        }),
      );
      await killed;
      expect(victim.alive()).toBe(false);
      expect(failed).toBeGreaterThan(0);
    }
    expect(first.size).toBeLessThan(ops.length);

    // Restart on the same database; send every request again (answered or not) with its original key.
    child = await startChild(childEnv);
    const restarted = child;
    // The scenario must contain requests that took effect without their client getting an answer (hung up,
    // or cut off by the kill): their re-sends below must replay, not execute again.
    const tookEffect = await keysWithRecords(await database(), before);
    await releaseDatabase();
    expect(
      ops.filter((op) => !first.has(op) && tookEffect.has(`${op.accountId}|${op.key}`)).length,
    ).toBeGreaterThan(0);
    const sendAll = async (): Promise<Map<Op, RawAnswer>> => {
      const answers = new Map<Op, RawAnswer>();
      const queue = [...ops];
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          for (let op = queue.shift(); op; op = queue.shift())
            answers.set(op, await sendOp(restarted.url, op));
        }),
      );
      return answers;
    };
    const second = await sendAll();
    const third = await sendAll();

    const problems: string[] = [];
    for (const op of ops) {
      const answers = [first.get(op), second.get(op)!, third.get(op)!].filter(
        (a): a is RawAnswer => a !== undefined,
      );
      problems.push(...answers.flatMap((a) => answerProblems(op, a)));
      // What was answered before the crash is answered the same way after it; a late first answer is stable too.
      const settled = first.get(op) ?? second.get(op)!;
      for (const again of [second.get(op)!, third.get(op)!]) {
        if (again.text !== settled.text)
          problems.push(`${op.kind} ${op.key}: ${settled.text} then ${again.text}`);
      }
    }
    expect(problems).toEqual([]);

    const ds = await database();
    // The books, and every position rebuilt from the fill journal.
    const audit = await auditLedger(ds);
    expect(audit.differences).toEqual([]);
    expect(audit.fills).toBeGreaterThan(0);
    expect(
      await exactlyOnceViolations(
        ds,
        before,
        ops.map((op) => ({ op, answer: first.get(op) ?? second.get(op)! })),
        rates,
      ),
    ).toEqual([]);
    expect(await freeWentNegative(ds)).toEqual([]);
  }, 240_000); // three restarts under load on a shared 2-core machine: a budget for the run, not a speed assertion
});
