import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './free-port';

/**
 * A redis-server of the test's own, on a free port chosen at runtime (never the shared 6379), so a test can
 * take Redis down and bring it back without disturbing anyone else. No persistence: a restart is empty.
 *
 * ```ts
 * const redis = await startPrivateRedis();
 * const t = await startTestApp({ ...backend, redisUrl: redis.url });
 * await redis.kill();     // SIGKILL, as an outage; clients see connection errors and start reconnecting
 * await redis.restart();  // the same port again, ready to accept connections
 * await redis.stop();     // in afterAll
 * ```
 */
export interface PrivateRedis {
  /** `redis://127.0.0.1:<port>`. */
  url: string;
  port: number;
  /** True between a start/restart and a kill/stop. */
  running(): boolean;
  /** Kills the server with SIGKILL and waits for its exit. Idempotent. */
  kill(): Promise<void>;
  /** Starts the server again on the same port (after `kill`), resolving once it accepts connections. */
  restart(): Promise<void>;
  /** Kills the server for good (afterAll). */
  stop(): Promise<void>;
}

const READY = /Ready to accept connections/;
const live = new Set<ChildProcess>();
// A test that fails before its afterAll must not leave a redis-server behind.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

function launch(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--protected-mode',
      'no',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  live.add(child);
  child.once('exit', () => live.delete(child));
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (READY.test(output)) {
        child.stdout!.off('data', onData);
        child.off('exit', onExit);
        child.stdout!.resume();
        child.stderr!.resume();
        resolve(child);
      }
    };
    const onExit = () => reject(new Error(`redis-server on port ${port} exited: ${output.slice(-500)}`));
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', onExit);
    child.once('error', reject);
  });
}

function killChild(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  let port = 0;
  let child: ChildProcess | null = null;
  // The free port may be taken between the probe and the bind: try a few.
  for (let attempt = 1; child === null; attempt++) {
    port = await freePort();
    try {
      child = await launch(port);
    } catch (error) {
      if (attempt >= 5) throw error;
    }
  }
  let current: ChildProcess | null = child;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    running: () => current !== null,
    async kill() {
      const dying = current;
      current = null;
      await killChild(dying);
    },
    async restart() {
      if (current) throw new Error('private redis is already running');
      current = await launch(port);
    },
    async stop() {
      const dying = current;
      current = null;
      await killChild(dying);
    },
  };
}
