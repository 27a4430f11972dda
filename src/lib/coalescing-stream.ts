/** Most values one subscriber may hold back before the oldest kept ones are dropped. */
const MAX_PENDING = 32;

/**
 * One subscriber's stream of updates (spec section 5): at most one value per `minIntervalMs`, the latest
 * value always delivered, and values marked `keep` (status changes) never replaced by later ones. A slow
 * consumer costs only its own bounded queue: producers never wait.
 */
export class CoalescingStream<T> implements AsyncIterableIterator<T> {
  private readonly pending: { value: T; keep: boolean }[] = [];
  private wake: (() => void) | null = null;
  private lastSentAt = -Infinity;
  private closed = false;

  constructor(
    private readonly minIntervalMs: number,
    private readonly onClose: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  push(value: T, keep = false): void {
    if (this.closed) return;
    const last = this.pending[this.pending.length - 1];
    if (last && !last.keep) this.pending[this.pending.length - 1] = { value, keep };
    else this.pending.push({ value, keep });
    if (this.pending.length > MAX_PENDING) this.pending.splice(0, this.pending.length - MAX_PENDING);
    this.wake?.();
  }

  async next(): Promise<IteratorResult<T>> {
    while (!this.closed) {
      if (this.pending.length > 0) {
        const wait = this.lastSentAt + this.minIntervalMs - this.now();
        if (wait > 0) {
          await this.sleep(wait);
          continue;
        }
        this.lastSentAt = this.now();
        return { value: this.pending.shift()!.value, done: false };
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
    return { value: undefined, done: true };
  }

  async return(): Promise<IteratorResult<T>> {
    if (!this.closed) {
      this.closed = true;
      this.pending.length = 0;
      this.wake?.();
      this.onClose();
    }
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
