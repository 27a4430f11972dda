import { spawn } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { GENEROUS_LIMITS_ENV } from '../test/helpers/limits';
import { post } from './api-server';
import { quantile, type BenchRow, type BenchSuite } from './lib';
import { MAX_OLD_SPACE_MB } from './risk-book.bench';

const QUERY = { query: '{ assets { symbol } }' };
const PROBES = 4;

/**
 * P1, serving: the p99 of `{ assets { symbol } }` requests (4 clients in this process, one request each at a
 * time) to the server holding the risk book (risk-book-server.ts), during BTC ticks that every account is
 * exposed to, next to the same requests with no tick. Full size BENCH_SERVING_ACCOUNTS (default 1,000,000).
 */
export const riskBookServingSuite: BenchSuite = {
  name: 'risk book (P1, serving)',
  async run({ smoke }) {
    const accounts = smoke ? 500 : Number(process.env.BENCH_SERVING_ACCOUNTS ?? 1_000_000);
    const ticks = smoke ? 1 : 5;
    const child = spawn(
      process.execPath,
      [`--max-old-space-size=${MAX_OLD_SPACE_MB}`, '-r', '@swc-node/register', 'bench/risk-book-server.ts'],
      {
        cwd: path.resolve(__dirname, '..'),
        env: { ...process.env, ...GENEROUS_LIMITS_ENV, BENCH_ACCOUNTS: String(accounts) },
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    const lines: string[] = [];
    const waiters: ((line: string) => void)[] = [];
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let at: number;
      while ((at = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, at);
        buffered = buffered.slice(at + 1);
        const waiter = waiters.shift();
        if (waiter) waiter(line);
        else lines.push(line);
      }
    });
    const nextLine = () =>
      new Promise<string>((resolve, reject) => {
        const line = lines.shift();
        if (line !== undefined) return resolve(line);
        waiters.push(resolve);
        child.once('exit', (code) => reject(new Error(`risk-book-server exited with ${code}`)));
      });
    try {
      let ready = await nextLine();
      while (!ready.startsWith('ready at ')) ready = await nextLine();
      const url = ready.slice('ready at '.length);

      /** Probes until `until` settles; the latencies of requests that started before it did, ms. */
      const probe = async (until: Promise<unknown>) => {
        const latencies: number[] = [];
        let done = false;
        void until.finally(() => (done = true));
        await Promise.all(
          Array.from({ length: PROBES }, async () => {
            while (!done) {
              const start = performance.now();
              const res = await post(url, null, QUERY);
              if (res.status !== 200) throw new Error(`assets answered ${res.status}`);
              latencies.push(performance.now() - start);
            }
          }),
        );
        return latencies;
      };
      const idle = await probe(new Promise((r) => setTimeout(r, smoke ? 300 : 3000)));
      const during: number[] = [];
      const tickMs: number[] = [];
      for (let t = 0; t < ticks; t++) {
        const tick = nextLine();
        child.stdin.write('tick\n');
        during.push(...(await probe(tick)));
        tickMs.push(Number((await tick).split(' ')[1]));
      }
      const p99 = quantile(during, 0.99);
      const baseP99 = quantile(idle, 0.99);
      const row: BenchRow = {
        case: `{ assets { symbol } } p99 during a BTC tick over ${accounts.toLocaleString('en-US')} accounts, all exposed`,
        baseline: 'the same requests, no tick',
        opsPerSec: 1000 / p99,
        baselineOpsPerSec: 1000 / baseP99,
        shown: {
          value: `${p99.toFixed(1)} ms`,
          baselineValue: `${baseP99.toFixed(1)} ms`,
          ratio: (baseP99 / p99).toPrecision(3),
        },
        note:
          `${during.length} requests during ${ticks} ticks (wall ${tickMs.map((x) => x.toFixed(0)).join(', ')} ms), ` +
          `${idle.length} without; ratio = p99 without / p99 during (1 = a tick costs requests nothing)`,
      };
      return [row];
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      child.kill('SIGTERM');
      await exited;
    }
  },
};
