import type { DataSource } from 'typeorm';
import { PriceEntity } from '../../entities';
import { dec, formatDecimal, type Decimal } from '../../lib/decimal';
import type { EventBus, Events } from '../../pubsub';
import type { PriceBook } from '../margin/types';
import type { Catalog } from '../catalog/catalog';

export interface PricePoint {
  symbol: string;
  price: Decimal;
  updatedAt: Date;
}

type WirePrice = Events['PRICE'];

/**
 * The latest index and mark prices, held in memory for the risk engine and written through to the database.
 * Every instance applies every published batch (from the bus), keeping the newest point per symbol.
 */
export class PriceService {
  private readonly points = new Map<string, PricePoint>();
  private readonly listeners = new Set<(changed: PricePoint[]) => void>();

  constructor(
    private readonly ds: DataSource,
    private readonly catalog: Catalog,
    /** Between instances (Redis when configured). */
    private readonly bus: EventBus,
    /** This instance's subscribers. */
    private readonly localBus: EventBus,
  ) {}

  async load(): Promise<void> {
    for (const row of await this.ds.getRepository(PriceEntity).find()) {
      this.points.set(row.symbol, { symbol: row.symbol, price: row.price, updatedAt: row.updatedAt });
    }
  }

  get(symbol: string): PricePoint | undefined {
    return this.points.get(symbol);
  }

  /** Assets first, then futures symbols, each in catalogue order. */
  list(): PricePoint[] {
    const order = [...this.catalog.assets.map((a) => a.symbol), ...this.catalog.symbols.map((s) => s.symbol)];
    return order.map((s) => this.points.get(s)).filter((p): p is PricePoint => p !== undefined);
  }

  book(): PriceBook {
    const index = new Map<string, Decimal>();
    const mark = new Map<string, Decimal>();
    for (const p of this.points.values()) {
      if (this.catalog.findAsset(p.symbol)) index.set(p.symbol, p.price);
      else mark.set(p.symbol, p.price);
    }
    return { index, mark };
  }

  /** Called with the points that changed, after they are applied. */
  onChange(listener: (changed: PricePoint[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stores a validated batch, applies it here and tells every instance. */
  async publish(points: PricePoint[]): Promise<number> {
    if (points.length === 0) return 0;
    await this.ds.getRepository(PriceEntity).upsert(points, ['symbol']);
    const wire = points.map(toWire);
    this.apply(wire);
    this.bus.publish('PRICE_BATCH', '*', { prices: wire });
    return points.length;
  }

  /** Applies a batch from the bus (ours or another instance's); older points than held are ignored. */
  apply(batch: WirePrice[]): PricePoint[] {
    const changed: PricePoint[] = [];
    for (const w of batch) {
      const point = { symbol: w.symbol, price: dec(w.price), updatedAt: new Date(w.updatedAt) };
      const held = this.points.get(w.symbol);
      if (held && held.updatedAt > point.updatedAt) continue;
      if (held && held.price.eq(point.price) && held.updatedAt.getTime() === point.updatedAt.getTime())
        continue;
      this.points.set(w.symbol, point);
      changed.push(point);
      this.localBus.publish('PRICE', w.symbol, w);
    }
    if (changed.length > 0) for (const listener of this.listeners) listener(changed);
    return changed;
  }

  /** Keeps this instance's cache in step with batches other instances publish. */
  async follow(): Promise<() => void> {
    const feed = this.bus.subscribe('PRICE_BATCH', '*', 1024);
    void (async () => {
      for await (const batch of feed) this.apply(batch.prices);
    })();
    return () => void feed.return?.();
  }
}

function toWire(p: PricePoint): WirePrice {
  return { symbol: p.symbol, price: formatDecimal(p.price), updatedAt: p.updatedAt.toISOString() };
}
