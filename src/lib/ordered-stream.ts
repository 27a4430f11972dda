/**
 * One subscriber's stream of events that must all arrive, in order, never coalesced (status transitions).
 * A consumer more than `limit` events behind is not waited for: the stream ends with `overflow()`'s error
 * (delivered after nothing more), so one slow subscriber neither delays others nor grows without bound.
 */
export class OrderedStream<T> implements AsyncIterableIterator<T> {
  private readonly pending: T[] = [];
  private wake: (() => void) | null = null;
  private failure: Error | null = null;
  private closed = false;
  private released = false;

  constructor(
    private readonly limit: number,
    private readonly overflow: () => Error,
    private readonly onClose: () => void,
  ) {}

  /** Events held for the consumer now. */
  get behind(): number {
    return this.pending.length;
  }

  push(value: T): void {
    if (this.closed || this.failure) return;
    if (this.pending.length >= this.limit) {
      this.failure = this.overflow();
      this.pending.length = 0;
      this.release();
    } else {
      this.pending.push(value);
    }
    this.wake?.();
  }

  async next(): Promise<IteratorResult<T>> {
    for (;;) {
      if (this.pending.length > 0) return { value: this.pending.shift()!, done: false };
      if (this.failure) {
        const failure = this.failure;
        this.closed = true;
        this.failure = null;
        throw failure;
      }
      if (this.closed) return { value: undefined, done: true };
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }

  async return(): Promise<IteratorResult<T>> {
    this.pending.length = 0;
    this.failure = null;
    this.release();
    this.closed = true;
    this.wake?.();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private release(): void {
    if (this.released) return;
    this.released = true;
    this.onClose();
  }
}
