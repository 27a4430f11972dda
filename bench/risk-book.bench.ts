import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BenchRow, BenchSuite } from './lib';
import type { ChildResult } from './risk-book-child';

/** Heap of each measuring process: a million accounts stay well inside it (see the README). */
export const MAX_OLD_SPACE_MB = 8192;

/**
 * P1: one BTC tick over the risk book, next to the floor (a tight float64 loop doing the same incremental
 * arithmetic over the exposed accounts). Each case runs in a fresh process with --max-old-space-size=8192
 * (risk-book-child.ts). First 10k, 100k and 1M accounts all holding BTC; then 1M accounts with 1%, 10% and
 * 100% of them exposed to BTC. ops = exposed accounts decided per second.
 */
export const riskBookSuite: BenchSuite = {
  name: 'risk book (P1)',
  async run({ smoke }) {
    const cases = smoke
      ? [
          { accounts: 500, btcShare: 1 },
          { accounts: 500, btcShare: 0.1 },
        ]
      : [
          { accounts: 10_000, btcShare: 1 },
          { accounts: 100_000, btcShare: 1 },
          { accounts: 1_000_000, btcShare: 1 },
          { accounts: 1_000_000, btcShare: 0.1 },
          { accounts: 1_000_000, btcShare: 0.01 },
        ];
    const rows: BenchRow[] = [];
    for (const c of cases) {
      const r = await measureInChild({ ...c, ticks: smoke ? 2 : 9 });
      const n = (x: number) => Math.round(x).toLocaleString('en-US');
      rows.push({
        case: `one BTC tick, ${n(c.accounts)} accounts, ${c.btcShare * 100}% hold BTC (ops = exposed accounts decided)`,
        baseline: 'float64 floor loop, same accounts',
        opsPerSec: r.exposed / (r.tickMs / 1000),
        baselineOpsPerSec: r.floorAccounts / (r.floorMs / 1000),
        note:
          `tick ${r.tickMs.toFixed(1)} ms for ${n(r.exposed)} exposed, floor ${r.floorMs.toFixed(1)} ms; ` +
          `exact engine ${n(r.exactPerTick)}/tick near band edges, ${n(r.transitionsPerTick)} transitions/tick; ` +
          `longest drain slice ${r.longestSliceMs.toFixed(0)} ms; memory/account ${n(r.heapBytesPerAccount)} B heap + ` +
          `${n(r.arrayBytesPerAccount)} B typed arrays; build ${(r.buildMs / 1000).toFixed(1)} s`,
      });
    }
    return rows;
  },
};

async function measureInChild(options: {
  accounts: number;
  btcShare: number;
  ticks: number;
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
