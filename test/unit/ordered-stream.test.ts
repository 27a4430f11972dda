import { OrderedStream } from '../../src/lib/ordered-stream';

const overflow = () => new Error('behind');

describe('OrderedStream', () => {
  it('delivers every value in order, none coalesced', async () => {
    const stream = new OrderedStream<number>(64, overflow, () => {});
    for (let i = 1; i <= 64; i++) stream.push(i);
    const got: number[] = [];
    for (let i = 0; i < 64; i++) got.push((await stream.next()).value as number);
    expect(got).toEqual(Array.from({ length: 64 }, (_, i) => i + 1));
  });

  it('a consumer more than `limit` behind gets the overflow error and then nothing', async () => {
    let released = 0;
    const stream = new OrderedStream<number>(64, overflow, () => released++);
    for (let i = 1; i <= 65; i++) stream.push(i);
    expect(released).toBe(1);
    await expect(stream.next()).rejects.toThrow('behind');
    stream.push(66);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
    await stream.return();
    expect(released).toBe(1);
  });

  it('wakes a waiting consumer, and return() ends it and releases once', async () => {
    let released = 0;
    const stream = new OrderedStream<string>(2, overflow, () => released++);
    const waiting = stream.next();
    stream.push('a');
    expect(await waiting).toEqual({ value: 'a', done: false });
    const pending = stream.next();
    await stream.return();
    await stream.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(released).toBe(1);
  });
});
