import { performance } from 'node:perf_hooks';
import { logger } from '../../lib/logger';
import { bookRecomputeDuration } from '../../observability/metrics';
import type { RiskBook } from './book';

export interface DrainOptions {
  /** Longest run of work before yielding to the event loop, ms. */
  sliceMs?: number;
  /** Accounts decided between two looks at the clock. */
  batch?: number;
}

/**
 * Works through the book's dirty set in time slices: at most `sliceMs` of decisions, then `setImmediate`, so
 * requests and socket writes get their turn between slices and the event loop never stalls for long. A tick
 * that arrives meanwhile only marks more accounts dirty (an account already waiting stays once in the set)
 * and writes the newest prices, so it merges into the drain under way and every decision reads the newest
 * snapshot.
 */
export class Drain {
  private scheduled: NodeJS.Immediate | null = null;
  private waiters: (() => void)[] = [];
  private stopped = false;
  /** When the first slice of the drain under way started (performance.now()), null when idle. */
  private drainStartedAt: number | null = null;
  private readonly sliceMs: number;
  private readonly batch: number;
  /** Slices run, and the longest one, ms (for benchmarks and metrics). */
  readonly stats = { slices: 0, longestSliceMs: 0 };

  constructor(
    private readonly book: RiskBook,
    options: DrainOptions = {},
  ) {
    this.sliceMs = options.sliceMs ?? 5;
    this.batch = options.batch ?? 64;
    book.onDirty(() => this.schedule());
    if (book.pending > 0) this.schedule();
  }

  /** Resolves when the dirty set is empty (at once if it is): a hook for tests and benchmarks. */
  idle(): Promise<void> {
    if (this.book.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
  }

  private schedule(): void {
    if (this.scheduled === null && !this.stopped) this.scheduled = setImmediate(() => this.slice());
  }

  private slice(): void {
    this.scheduled = null;
    const start = performance.now();
    const drainStart = (this.drainStartedAt ??= start);
    const until = start + this.sliceMs;
    try {
      do this.book.drainSome(this.batch);
      while (this.book.pending > 0 && performance.now() < until);
    } catch (err) {
      logger.error({ err }, 'risk book: drain slice failed');
    }
    const took = performance.now() - start;
    this.stats.slices++;
    if (took > this.stats.longestSliceMs) this.stats.longestSliceMs = took;
    bookRecomputeDuration.observe({ scope: 'slice' }, took / 1000);
    if (this.book.pending > 0) return this.schedule();
    bookRecomputeDuration.observe({ scope: 'drain' }, (performance.now() - drainStart) / 1000);
    this.drainStartedAt = null;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
