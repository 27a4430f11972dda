/**
 * Shared benchmark plumbing: the suite interface every suite implements, timing, a seeded random source and
 * the markdown table. Timing uses the monotonic clock; each measurement warms up first so that the JIT has
 * compiled the hot path before the clock starts.
 */
import { readFileSync } from 'node:fs';

export interface BenchRow {
  case: string;
  baseline: string;
  opsPerSec: number;
  baselineOpsPerSec: number;
  note?: string;
  /**
   * For a row that is not a rate (a latency, say): the cells as shown, in place of ops/s, baseline ops/s and
   * their ratio; the ratio is then the suite's own (stated in the case or baseline).
   */
  shown?: { value: string; baselineValue: string; ratio: string };
}

export interface BenchSuite {
  name: string;
  run(opts: { smoke: boolean }): Promise<BenchRow[]>;
}

export interface MeasureOptions {
  /** Keep calling until this much time has passed (after warm-up). */
  minMs: number;
  /** Operations one call performs (e.g. accounts in a batch). */
  opsPerCall?: number;
  /** Untimed calls first. */
  warmupCalls?: number;
  /** Stop after this many timed calls even if minMs has not passed. */
  maxCalls?: number;
}

/** Where measured results go, so that the optimiser cannot drop the measured work. */
export const blackhole: { value: unknown } = { value: undefined };

/** Operations per second of `fn`. */
export function measure(fn: () => unknown, opts: MeasureOptions): number {
  const { minMs, opsPerCall = 1, warmupCalls = 3, maxCalls = Number.POSITIVE_INFINITY } = opts;
  for (let i = 0; i < warmupCalls; i++) blackhole.value = fn();
  const minNs = BigInt(Math.round(minMs * 1e6));
  const start = process.hrtime.bigint();
  let elapsedNs = 0n;
  let calls = 0;
  while (calls < maxCalls && (calls === 0 || elapsedNs < minNs)) {
    blackhole.value = fn();
    calls++;
    elapsedNs = process.hrtime.bigint() - start;
  }
  return (calls * opsPerCall) / (Number(elapsedNs) / 1e9);
}

export { seededRandom } from '../src/lib/seeded-random';

export function isSmoke(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  return argv.includes('--smoke') || env.BENCH_SMOKE === '1';
}

/** suite | case | ops/s | baseline | baseline ops/s | ratio (ops/s over baseline ops/s), then the notes. */
export function formatTable(results: { suite: string; row: BenchRow }[]): string {
  const lines = [
    '| suite | case | ops/s | baseline | baseline ops/s | ratio |',
    '|---|---|---:|---|---:|---:|',
    ...results.map(
      ({ suite, row }) =>
        `| ${suite} | ${row.case} | ${row.shown?.value ?? rate(row.opsPerSec)} | ${row.baseline} | ` +
        `${row.shown?.baselineValue ?? rate(row.baselineOpsPerSec)} | ${row.shown?.ratio ?? ratio(row)} |`,
    ),
  ];
  const notes = results
    .filter(({ row }) => row.note)
    .map(({ suite, row }) => `- ${suite} / ${row.case}: ${row.note}`);
  return notes.length > 0 ? `${lines.join('\n')}\n\n${notes.join('\n')}` : lines.join('\n');
}

function rate(opsPerSec: number): string {
  return opsPerSec >= 100 ? Math.round(opsPerSec).toLocaleString('en-US') : opsPerSec.toPrecision(3);
}

function ratio(row: BenchRow): string {
  return row.baselineOpsPerSec > 0 ? (row.opsPerSec / row.baselineOpsPerSec).toPrecision(3) : 'n/a';
}

/** The q-quantile (0..1) of `values`, sorted in place: the nearest rank at or below. */
export function quantile(values: number[], q: number): number {
  values.sort((a, b) => a - b);
  return values[Math.min(values.length - 1, Math.floor(values.length * q))];
}

/**
 * CPU time (user + system) a process has used so far, in ms, from Linux's /proc (10 ms steps); null where
 * there is no /proc.
 */
export function processCpuMs(pid: number | undefined): number | null {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return null;
  }
}

/** Linux's USER_HZ, the unit of /proc's CPU times, on every platform Node supports. */
const CLOCK_TICKS_PER_S = 100;
