import { performance } from 'node:perf_hooks';
import type { PullableIterator } from '../lib/pullable';
import type { PriceBook } from '../services/margin';
import { bookWrittenAt } from '../services/prices/snapshot';
import { tickToPushLag } from './metrics';

/**
 * One subscriber's `marginRatio` stream, timed into tickToPushLag as each event is taken (a plain
 * pass-through: nothing is read ahead, returning it returns `source`). Only an event on prices written after
 * this subscriber's previous event counts, the first push a tick caused for it: the first snapshot, and events
 * caused by the account's own changes on prices it already had, measure no tick.
 */
export function timedRiskStream<T extends { book: PriceBook }>(
  source: PullableIterator<T>,
): PullableIterator<T> {
  let lastHandedAt: number | null = null;
  const observe = (result: IteratorResult<T>): IteratorResult<T> => {
    if (result.done) return result;
    const now = performance.now();
    const written = bookWrittenAt(result.value.book);
    if (lastHandedAt !== null && written !== undefined && written > lastHandedAt)
      tickToPushLag.observe((now - written) / 1000);
    lastHandedAt = now;
    return result;
  };
  const timed: PullableIterator<T> = {
    next: async () => observe(await source.next()),
    pull: (take) => source.pull((result) => take(observe(result))),
    return: async () => (await source.return?.()) ?? { done: true, value: undefined },
    [Symbol.asyncIterator]: () => timed,
  };
  return timed;
}
