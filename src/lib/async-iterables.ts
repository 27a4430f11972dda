import { Repeater } from '@repeaterjs/repeater';

/** One iterator over several; returning it returns them all. */
export function mergeAsyncIterables<T>(sources: AsyncIterableIterator<T>[]): AsyncIterableIterator<T> {
  return Repeater.merge(sources) as AsyncIterableIterator<T>;
}

/**
 * Each item of `source` as zero or more items, in order. Unlike an async generator, returning the result
 * returns `source` at once even while a read is pending, so a closed subscription stops its source now
 * rather than at the source's next item.
 */
export function flatMapStream<T, U>(
  source: AsyncIterableIterator<T>,
  map: (item: T) => U[] | Promise<U[]>,
): AsyncIterableIterator<U> {
  return new Repeater<U>(async (push, stop) => {
    void stop.then(() => source.return?.());
    for await (const item of source) for (const out of await map(item)) await push(out);
    stop();
  });
}
