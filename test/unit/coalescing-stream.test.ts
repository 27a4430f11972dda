import { CoalescingStream, type StreamTimers } from '../../src/lib/coalescing-stream';

/** A clock and timers that move only when the test says so. */
class ManualTimers implements StreamTimers {
  at = 0;
  private readonly due = new Map<number, { at: number; callback: () => void }>();
  private ids = 0;

  now(): number {
    return this.at;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const id = ++this.ids;
    this.due.set(id, { at: this.at + ms, callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.due.delete(handle as number);
  }
  get armed(): number {
    return this.due.size;
  }
  /** Moves the clock to `to`, firing every timer due by then, in order. */
  advanceTo(to: number): void {
    for (;;) {
      const next = [...this.due].sort((a, b) => a[1].at - b[1].at)[0];
      if (!next || next[1].at > to) break;
      this.due.delete(next[0]);
      this.at = next[1].at;
      next[1].callback();
    }
    this.at = to;
  }
}

/** What a pending next() has resolved to so far (microtasks run first). */
async function settledValue<T>(pending: Promise<IteratorResult<T>>): Promise<IteratorResult<T> | 'pending'> {
  const marker = Symbol('pending');
  const result = await Promise.race([pending, Promise.resolve().then(() => marker)]);
  return result === marker ? 'pending' : (result as IteratorResult<T>);
}

describe('CoalescingStream', () => {
  let timers: ManualTimers;
  beforeEach(() => (timers = new ManualTimers()));
  const stream = <T>(minIntervalMs: number, onClose: () => void = () => undefined) =>
    new CoalescingStream<T>(minIntervalMs, onClose, { timers });

  it('hands a slow consumer only the newest of the values pushed meanwhile', async () => {
    const s = stream<number>(0);
    for (let i = 1; i <= 5; i++) s.push(i);
    expect(await s.next()).toEqual({ value: 5, done: false });
    const pending = s.next();
    expect(await settledValue(pending)).toBe('pending');
    s.push(6);
    expect(await pending).toEqual({ value: 6, done: false });
  });

  it('never delivers a stale value: a status change followed by a newer value gives the newer one', async () => {
    const s = stream<string>(0);
    s.push('NORMAL 1.6');
    s.push('MARGIN_CALL 1.4');
    s.push('MARGIN_CALL 1.35');
    expect(await s.next()).toEqual({ value: 'MARGIN_CALL 1.35', done: false });
  });

  it('sends at most one value per interval, the newest one at the end of the interval', async () => {
    const s = stream<number>(1000);
    s.push(1);
    expect((await s.next()).value).toBe(1); // at 0
    const pending = s.next();
    timers.advanceTo(10);
    s.push(2);
    timers.advanceTo(500);
    s.push(3);
    timers.advanceTo(999);
    expect(await settledValue(pending)).toBe('pending');
    expect(timers.armed).toBe(1);
    s.push(4);
    timers.advanceTo(1000);
    expect(await pending).toEqual({ value: 4, done: false });
    // Nothing new: nothing is sent, however long the consumer waits.
    const idle = s.next();
    timers.advanceTo(5000);
    expect(await settledValue(idle)).toBe('pending');
    expect(timers.armed).toBe(0);
  });

  it('sends a change (a status change) at once when the interval has passed, else as soon as it allows', async () => {
    const s = stream<string>(1000);
    s.push('NORMAL');
    await s.next(); // at 0
    timers.advanceTo(3000);
    const atOnce = s.next();
    s.push('MARGIN_CALL');
    expect(await atOnce).toEqual({ value: 'MARGIN_CALL', done: false }); // at 3000, no wait
    const next = s.next();
    timers.advanceTo(3200);
    s.push('NORMAL');
    timers.advanceTo(3999);
    expect(await settledValue(next)).toBe('pending');
    timers.advanceTo(4000);
    expect(await next).toEqual({ value: 'NORMAL', done: false });
  });

  it('counts the interval from when the consumer took the value, so a slow consumer is not flooded', async () => {
    const s = stream<number>(100);
    s.push(1);
    timers.advanceTo(50);
    expect((await s.next()).value).toBe(1); // taken at 50
    s.push(2);
    timers.advanceTo(120);
    const pending = s.next();
    expect(await settledValue(pending)).toBe('pending');
    timers.advanceTo(150);
    expect(await pending).toEqual({ value: 2, done: false });
  });

  it('drops a value that shows nothing new, looking only at the value it would hand over', async () => {
    const looked: string[] = [];
    const s = new CoalescingStream<{ v: number; tag: string }>(0, () => undefined, {
      timers,
      unchanged: (a, b) => {
        looked.push(b.tag);
        return a.v === b.v;
      },
    });
    s.push({ v: 1, tag: 'first' });
    expect((await s.next()).value).toEqual({ v: 1, tag: 'first' });
    s.push({ v: 2, tag: 'replaced before hand-over' });
    s.push({ v: 1, tag: 'same as delivered' });
    const pending = s.next();
    expect(await settledValue(pending)).toBe('pending');
    s.push({ v: 3, tag: 'new' });
    expect((await pending).value).toEqual({ v: 3, tag: 'new' });
    expect(looked).toEqual(['same as delivered', 'new']);
  });

  it('holds one slot whatever is pushed: producers never wait and memory stays flat', async () => {
    const s = stream<number>(1000);
    for (let i = 0; i < 100_000; i++) s.push(i);
    expect(await s.next()).toEqual({ value: 99_999, done: false });
    expect(timers.armed).toBe(0);
  });

  it('ends on return, resolves a pending next, clears its timer and tells its owner once', async () => {
    const onClose = jest.fn();
    const s = stream<number>(1000, onClose);
    s.push(1);
    await s.next();
    s.push(2);
    const pending = s.next();
    expect(timers.armed).toBe(1);
    await s.return();
    await s.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(timers.armed).toBe(0);
    expect(onClose).toHaveBeenCalledTimes(1);
    s.push(3);
    expect(await s.next()).toEqual({ value: undefined, done: true });
  });
});
