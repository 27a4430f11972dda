/**
 * An event stream that can also hand its next result to a callback: no promise per value, so a consumer that
 * writes each value straight out (a socket) costs the stream nothing but the call. `next()` and `pull()` take
 * from the same place; a consumer uses one or the other.
 */
export interface PullableIterator<T> extends AsyncIterableIterator<T> {
  /** Calls `take` once with the next result, as soon as there is one (at once when it is ready). */
  pull(take: (result: IteratorResult<T>) => void): void;
}

export function isPullable<T>(source: AsyncIterator<T>): source is PullableIterator<T> {
  return typeof (source as Partial<PullableIterator<T>>).pull === 'function';
}
