import { CoalescingStream } from '../../src/lib/coalescing-stream';

async function drain<T>(stream: CoalescingStream<T>, count: number): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < count; i++) out.push((await stream.next()).value as T);
  return out;
}

describe('CoalescingStream', () => {
  it('keeps only the latest of values a slow consumer has not taken', async () => {
    const stream = new CoalescingStream<number>(0, () => undefined);
    for (let i = 1; i <= 5; i++) stream.push(i);
    expect(await drain(stream, 1)).toEqual([5]);
  });

  it('never replaces a kept value (a status change) with a later one', async () => {
    const stream = new CoalescingStream<string>(0, () => undefined);
    stream.push('a');
    stream.push('status-change', true);
    stream.push('b');
    stream.push('c');
    expect(await drain(stream, 2)).toEqual(['status-change', 'c']);
  });

  it('sends at most one value per interval and then the latest', async () => {
    let now = 0;
    const stream = new CoalescingStream<number>(
      1000,
      () => undefined,
      () => now,
    );
    stream.push(1);
    expect(await drain(stream, 1)).toEqual([1]);
    stream.push(2);
    const next = stream.next();
    stream.push(3);
    now = 999;
    stream.push(4);
    now = 1000;
    stream.push(5);
    expect((await next).value).toBe(5);
  });

  it('ends on return and tells its owner once', async () => {
    const onClose = jest.fn();
    const stream = new CoalescingStream<number>(0, onClose);
    const pending = stream.next();
    await stream.return();
    await stream.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(onClose).toHaveBeenCalledTimes(1);
    stream.push(1);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });
});
