import { spawn } from 'node:child_process';
import path from 'node:path';
import { freePort } from './free-port';

const REPO = path.resolve(__dirname, '../..');
/** Variables of the test runner's environment that would configure the child instead of the test. */
const INHERITED = ['DATABASE_URL', 'REDIS_URL', 'DATA_DIR', 'PORT', 'PRICE_FEED', 'SEED_DEMO', 'JWT_SECRET'];

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
  const base = { ...process.env };
  for (const name of INHERITED) delete base[name];
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
    cwd: REPO,
    env: { ...base, ...env, PORT: String(await freePort()) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready(output)) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) =>
      reject(new Error(`src/main.ts exited (${code}) before it was ready:\n${output}`)),
    );
  });
  return {
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
