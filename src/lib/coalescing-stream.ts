import type { PullableIterator } from './pullable';

/** The time a stream needs: injected so that tests drive it without waiting. */
export interface StreamTimers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: StreamTimers = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * One subscriber's stream of updates (spec section 5): one slot holding the newest value, never a queue.
 * A value is handed over when the consumer asks for one and `minIntervalMs` has passed since the last one;
 * otherwise at the end of the interval, and then it is the newest value at that moment. So at most one
 * event per interval, never a stale one, and the first value after any change (a status change too) goes
 * out as soon as the interval allows; a value that shows nothing new is not sent at all. A slow consumer (a socket that drains slowly asks later) costs one
 * slot: producers never wait and nothing piles up.
 */
export interface CoalescingOptions<T> {
  timers?: StreamTimers;
  /**
   * Whether `next` shows the consumer nothing new after `delivered` (then it is dropped, not sent). Asked at
   * hand-over only, so a value replaced in the slot before then is never looked at: values may be lazy.
   */
  unchanged?: (delivered: T, next: T) => boolean;
}

export class CoalescingStream<T> implements PullableIterator<T> {
  private slot: { value: T } | null = null;
  private delivered: { value: T } | null = null;
  private waiter: ((result: IteratorResult<T>) => void) | null = null;
  private timer: unknown = null;
  private lastSentAt = -Infinity;
  private closed = false;
  private readonly timers: StreamTimers;
  private readonly unchanged: (delivered: T, next: T) => boolean;

  constructor(
    private readonly minIntervalMs: number,
    private readonly onClose: () => void,
    options: CoalescingOptions<T> = {},
  ) {
    this.timers = options.timers ?? realTimers;
    this.unchanged = options.unchanged ?? (() => false);
  }

  /** Replaces whatever the slot holds: only the newest value is ever delivered. */
  push(value: T): void {
    if (this.closed) return;
    this.slot = { value };
    this.handOver();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    if (this.waiter) return Promise.reject(new Error('CoalescingStream: next() while a next() is pending'));
    return new Promise((resolve) => this.pull(resolve));
  }

  pull(take: (result: IteratorResult<T>) => void): void {
    if (this.closed) return take({ value: undefined, done: true });
    if (this.waiter) throw new Error('CoalescingStream: a second consumer is waiting');
    this.waiter = take;
    this.handOver();
  }

  async return(): Promise<IteratorResult<T>> {
    if (!this.closed) {
      this.closed = true;
      this.slot = null;
      if (this.timer !== null) this.timers.clearTimeout(this.timer);
      this.timer = null;
      const waiter = this.waiter;
      this.waiter = null;
      waiter?.({ value: undefined, done: true });
      this.onClose();
    }
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  /** A failing comparison (a lazy value that cannot be computed) counts as a change: the consumer sees it. */
  private isUnchanged(delivered: T, next: T): boolean {
    try {
      return this.unchanged(delivered, next);
    } catch {
      return false;
    }
  }

  /** Gives the slot's value to a waiting consumer once the interval allows; else arms one timer for then. */
  private handOver(): void {
    if (this.waiter === null || this.slot === null || this.timer !== null) return;
    const wait = this.lastSentAt + this.minIntervalMs - this.timers.now();
    if (wait > 0) {
      this.timer = this.timers.setTimeout(() => {
        this.timer = null;
        this.handOver();
      }, wait);
      return;
    }
    const { value } = this.slot;
    this.slot = null;
    if (this.delivered !== null && this.isUnchanged(this.delivered.value, value)) return;
    const resolve = this.waiter;
    this.waiter = null;
    this.delivered = { value };
    this.lastSentAt = this.timers.now();
    resolve({ value, done: false });
  }
}
