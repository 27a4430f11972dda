import { Repeater } from '@repeaterjs/repeater';

/** One iterator over several; returning it returns them all. */
export function mergeAsyncIterables<T>(sources: AsyncIterableIterator<T>[]): AsyncIterableIterator<T> {
  return Repeater.merge(sources) as AsyncIterableIterator<T>;
}
