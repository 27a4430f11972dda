import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BenchRow, BenchSuite } from './lib';
import type { ChildResult } from './risk-book-child';

/** Heap of each measuring process: a million accounts stay well inside it (see the README). */
export const MAX_OLD_SPACE_MB = 8192;

/**
 * P1: one tick over the risk book, next to the floor (a tight float64 loop doing the same incremental
 * arithmetic over the same exposed accounts, copied from the book). Each book is built in a fresh process with
 * --max-old-space-size=8192 (risk-book-child.ts). First a BTC tick over 10k, 100k and 1M accounts that all
 * hold BTC; then, in the same 1M book, ticks of coins held by 10% and 1% of the accounts: the cost must follow
 * the exposed accounts. ops = exposed accounts decided per second.
 */
export const riskBookSuite: BenchSuite = {
  name: 'risk book (P1)',
  async run({ smoke }) {
    const btc = { coin: 'BTC', share: 1 };
    const fewer = [
      { coin: 'C000', share: 0.1 },
      { coin: 'C001', share: 0.01 },
    ];
    const books = smoke
      ? [{ accounts: 500, ticks: [btc, fewer[0]] }]
      : [
          { accounts: 10_000, ticks: [btc] },
          { accounts: 100_000, ticks: [btc] },
          { accounts: 1_000_000, ticks: [btc, ...fewer] },
        ];
    const rows: BenchRow[] = [];
    const n = (x: number) => Math.round(x).toLocaleString('en-US');
    for (const b of books) {
      const r = await measureInChild({ ...b, repeat: smoke ? 2 : 9 });
      for (const t of r.ticks) {
        rows.push({
          case: `one ${t.coin} tick, ${n(r.accounts)} accounts, ${t.share * 100}% exposed (ops = exposed accounts decided)`,
          baseline: 'float64 floor loop, same accounts',
          opsPerSec: t.exposed / (t.tickMs / 1000),
          baselineOpsPerSec: t.exposed / (t.floorMs / 1000),
          note:
            `CPU time: tick ${t.tickMs.toFixed(1)} ms (wall ${t.wallMs.toFixed(1)} ms) for ${n(t.exposed)} exposed, floor ${t.floorMs.toFixed(1)} ms; exact engine ` +
            `${n(t.exactPerTick)}/tick near band edges, ${n(t.transitionsPerTick)} transitions/tick; longest drain ` +
            `slice ${t.longestSliceMs.toFixed(0)} ms; memory/account ${n(r.heapBytesPerAccount)} B heap + ` +
            `${n(r.arrayBytesPerAccount)} B typed arrays; build ${(r.buildMs / 1000).toFixed(1)} s`,
        });
      }
    }
    return rows;
  },
};

async function measureInChild(options: {
  accounts: number;
  ticks: { coin: string; share: number }[];
  repeat: number;
}): Promise<ChildResult> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      `--max-old-space-size=${MAX_OLD_SPACE_MB}`,
      '--expose-gc',
      '-r',
      '@swc-node/register',
      path.join(__dirname, 'risk-book-child.ts'),
      JSON.stringify(options),
    ],
    { cwd: path.resolve(__dirname, '..'), maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').pop() as string) as ChildResult;
}
