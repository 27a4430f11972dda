import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { GENEROUS_LIMITS_ENV } from '../test/helpers/limits';
import packageJson from '../package.json';

/** Concurrent clients of the HTTP suites, each on its own keep-alive socket. */
export const CLIENTS = 32;
export const JWT_SECRET = 'bench-secret-bench-secret-bench-secret-00';

/** The node flags `npm start` runs the server with (package.json), for a bench server that runs as in production. */
export const START_NODE_FLAGS: string[] = packageJson.scripts.start.match(/--[\w-]+(=\S+)?/g) ?? [];

export interface ServerChild {
  url: string;
  child: ChildProcess;
}

/**
 * A bench server in its own process (the load comes from this one, as from remote clients): `node -r
 * @swc-node/register <script>`, resolved once it prints `ready at <url>`.
 */
export async function startChild(
  script: string,
  env: NodeJS.ProcessEnv,
  execArgv: string[] = [],
): Promise<ServerChild> {
  const child = spawn(process.execPath, [...execArgv, '-r', '@swc-node/register', script], {
    cwd: path.resolve(__dirname, '..'),
    env: { ...process.env, ...GENEROUS_LIMITS_ENV, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /ready at (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}: ${out}`)));
  });
  return { url, child };
}

/** The API server as in production, on the bench's database, in-process pub/sub, no price feed. */
export function startServer(databaseUrl: string): Promise<ServerChild> {
  return startChild(
    'src/main.ts',
    {
      PORT: '0',
      DATABASE_URL: databaseUrl,
      JWT_SECRET,
      PRICE_FEED: 'none',
      SEED_DEMO: 'false',
      REDIS_URL: '',
    },
    // BENCH_SERVER_PROF=<dir>: a CPU profile of the server process, for finding where the time goes.
    process.env.BENCH_SERVER_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVER_PROF}`] : [],
  );
}

export async function stopChild(server: ServerChild): Promise<void> {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await exited;
}

/** Keep-alive HTTP, one socket per client: the load generator should cost the shared CPUs little. */
const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });

/** A POST of `body` as JSON, with `token` as bearer (none when null) and any other `headers`. */
export function post(
  url: string,
  token: string | null,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
