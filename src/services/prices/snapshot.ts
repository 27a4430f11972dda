import { performance } from 'node:perf_hooks';
import type { Decimal } from '../../lib/decimal';
import type { PriceBook } from '../margin/types';

/** When the prices of a book were written (performance.now()), for the tick-to-push lag. */
const writtenAt = new WeakMap<PriceBook, number>();

/** The performance.now() at which the batch that made `book`'s version was written; undefined if not a snapshot's. */
export function bookWrittenAt(book: PriceBook): number | undefined {
  return writtenAt.get(book);
}

export interface PricePoint {
  symbol: string;
  price: Decimal;
  updatedAt: Date;
}

/**
 * The newest price of every symbol, versioned: `version` grows by one with every batch that changes
 * something. `book()` is the engine's view of one version; it is built once per version and never mutated
 * afterwards, so a decision taken on it can be recomputed exactly later (the risk book keeps it alongside).
 * Writing a batch only stores points: whoever computes on prices is told afterwards, outside the writer's call.
 */
export class PriceSnapshot {
  private readonly points = new Map<string, PricePoint>();
  private current = 0;
  private built: { version: number; book: PriceBook } | null = null;
  private lastWriteAt = performance.now();

  /** `isAsset(symbol)`: an asset's index price, else a futures symbol's mark price. */
  constructor(private readonly isAsset: (symbol: string) => boolean) {}

  get version(): number {
    return this.current;
  }

  get(symbol: string): PricePoint | undefined {
    return this.points.get(symbol);
  }

  values(): IterableIterator<PricePoint> {
    return this.points.values();
  }

  /** Stores the points newer than those held (older ones are ignored); returns those that changed. */
  write(batch: Iterable<PricePoint>): PricePoint[] {
    const changed: PricePoint[] = [];
    for (const point of batch) {
      const held = this.points.get(point.symbol);
      if (held && held.updatedAt > point.updatedAt) continue;
      if (held && held.price.eq(point.price) && held.updatedAt.getTime() === point.updatedAt.getTime())
        continue;
      this.points.set(point.symbol, point);
      changed.push(point);
    }
    if (changed.length > 0) {
      this.current++;
      this.lastWriteAt = performance.now();
    }
    return changed;
  }

  /** A symbol that no longer has a usable price (delisted, or a feed fault): the engine refuses to use it. */
  forget(symbol: string): PricePoint | undefined {
    const held = this.points.get(symbol);
    if (held && this.points.delete(symbol)) {
      this.current++;
      this.lastWriteAt = performance.now();
    }
    return held;
  }

  /** The engine's prices at the current version (the same object until the next change). */
  book(): PriceBook {
    if (this.built?.version === this.current) return this.built.book;
    const index = new Map<string, Decimal>();
    const mark = new Map<string, Decimal>();
    for (const p of this.points.values()) (this.isAsset(p.symbol) ? index : mark).set(p.symbol, p.price);
    this.built = { version: this.current, book: { index, mark } };
    writtenAt.set(this.built.book, this.lastWriteAt);
    return this.built.book;
  }
}
