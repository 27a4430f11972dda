import { spawn } from 'node:child_process';
import path from 'node:path';
import { freePort } from './free-port';

const REPO = path.resolve(__dirname, '../..');
/** Variables of the test runner's environment that would configure the child instead of the test. */
const INHERITED = [
  'DATABASE_URL',
  'REDIS_URL',
  'DATA_DIR',
  'PORT',
  'HOST',
  'PRICE_FEED',
  'SEED_DEMO',
  'JWT_SECRET',
  'NODE_ENV',
  'CORS_ORIGINS',
  // The logger is silent in a jest worker; the child is not one (its logs are read, see below).
  'JEST_WORKER_ID',
  'LOG_LEVEL',
];

export interface MainProcess {
  /** stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then the exit. */
  stop(): Promise<void>;
}

/**
 * `npm start`'s entry point (src/main.ts) as a child process on a free port, with exactly `env` as its
 * configuration; resolves once `ready(output)` holds, rejects with the output if the process exits first.
 */
export async function startMain(
  env: Record<string, string>,
  ready: (output: string) => boolean,
): Promise<MainProcess> {
  const { output: outputSoFar, exited, child } = await spawnMain(env);
  await new Promise<void>((resolve, reject) => {
    // After spawnMain's own listeners, so outputSoFar() already holds the chunk.
    const check = () => ready(outputSoFar()) && resolve();
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    void exited.then((code) =>
      reject(new Error(`src/main.ts exited (${code}) before it was ready:\n${outputSoFar()}`)),
    );
  });
  return {
    output: outputSoFar,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      assertNoUnhandledRejection(outputSoFar());
    },
  };
}

/**
 * A server process keeps running through an unhandled rejection (src/lib/process-guards.ts) and only logs it;
 * a test of such a process fails on that log line, as Jest fails a test in which one happens in-process.
 */
export function assertNoUnhandledRejection(output: string): void {
  const line = output.split('\n').find((l) => l.includes('"msg":"unhandled promise rejection"'));
  if (line) throw new Error(`the server process had an unhandled promise rejection: ${line}`);
}

async function spawnMain(env: Record<string, string>) {
  const base = { ...process.env };
  for (const name of INHERITED) delete base[name];
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
    cwd: REPO,
    env: { ...base, ...env, PORT: String(await freePort()) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => (output += chunk.toString());
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  // 'close', not 'exit': the output is complete only once stdout and stderr have ended.
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  return { child, exited, output: () => output };
}

/** `src/main.ts` run with exactly `env`, for a start that must fail: its exit code and output. */
export async function mainExit(
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const { exited, output } = await spawnMain(env);
  const code = await exited;
  return { code, output: output() };
}
