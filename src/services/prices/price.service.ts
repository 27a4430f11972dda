import type { DataSource } from 'typeorm';
import { PriceEntity } from '../../entities';
import { formatDecimal } from '../../lib/decimal';
import { logger } from '../../lib/logger';
import type { EventBus, Events } from '../../pubsub';
import type { PriceBook } from '../margin/types';
import type { Catalog } from '../catalog/catalog';
import { feedBatchSchema } from './price-input';
import { PriceSnapshot, type PricePoint } from './snapshot';

export type { PricePoint } from './snapshot';

type WirePrice = Events['PRICE'];

/**
 * The latest index and mark prices, held in memory for the risk engine and written through to the database.
 * Every instance applies every published batch (from the bus), keeping the newest point per symbol.
 * Applying a batch only writes the versioned snapshot; listeners (the risk book) hear of it afterwards, on a
 * later turn of the event loop, with every point changed since they last heard (newest wins), so no price
 * work runs inside `publishPrices` or the feed's handler.
 */
export class PriceService {
  readonly snapshot: PriceSnapshot;
  private readonly listeners = new Set<(changed: PricePoint[]) => void>();
  private readonly unheard = new Map<string, PricePoint>();
  private notifying: NodeJS.Immediate | null = null;
  private rejected = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly catalog: Catalog,
    /** Between instances (Redis when configured). */
    private readonly bus: EventBus,
    /** This instance's subscribers. */
    private readonly localBus: EventBus,
  ) {
    this.snapshot = new PriceSnapshot((symbol) => catalog.findAsset(symbol) !== undefined);
  }

  async load(): Promise<void> {
    const rows = await this.ds.getRepository(PriceEntity).find();
    this.snapshot.write(rows.map((r) => ({ symbol: r.symbol, price: r.price, updatedAt: r.updatedAt })));
  }

  get(symbol: string): PricePoint | undefined {
    return this.snapshot.get(symbol);
  }

  /** Assets first, then futures symbols, each in catalogue order. */
  list(): PricePoint[] {
    const order = [...this.catalog.assets.map((a) => a.symbol), ...this.catalog.symbols.map((s) => s.symbol)];
    return order.map((s) => this.snapshot.get(s)).filter((p): p is PricePoint => p !== undefined);
  }

  book(): PriceBook {
    return this.snapshot.book();
  }

  /** Called, after the batches are applied and outside their caller, with the points changed since the last call. */
  onChange(listener: (changed: PricePoint[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stores a validated batch, applies it here and tells every instance. */
  async publish(points: PricePoint[]): Promise<number> {
    if (points.length === 0) return 0;
    await this.ds.getRepository(PriceEntity).upsert(points, ['symbol']);
    this.apply(points);
    this.bus.publish('PRICE_BATCH', '*', { prices: points.map(toWire) });
    return points.length;
  }

  /** Applies a validated batch (ours or from the bus); older points than held are ignored. */
  private apply(batch: PricePoint[]): PricePoint[] {
    const changed = this.snapshot.write(batch);
    for (const point of changed) {
      this.localBus.publish('PRICE', point.symbol, toWire(point));
      this.unheard.set(point.symbol, point);
    }
    if (changed.length > 0 && this.notifying === null) this.notifying = setImmediate(() => this.notify());
    return changed;
  }

  private notify(): void {
    this.notifying = null;
    const changed = [...this.unheard.values()];
    this.unheard.clear();
    for (const listener of this.listeners) listener(changed);
  }

  /**
   * Keeps this instance's cache in step with the batches of other instances and of a Redis price feed. A
   * batch that breaks the rules of `publishPrices` (feedBatchSchema) is dropped whole, logged and counted;
   * the feed goes on with the next.
   */
  async follow(maxPointsPerBatch: number): Promise<() => void> {
    const feed = this.bus.subscribe('PRICE_BATCH', '*', 1024);
    const schema = feedBatchSchema(this.catalog, maxPointsPerBatch);
    const log = logger.child({ component: 'price-feed' });
    void (async () => {
      for await (const message of feed) {
        const parsed = schema.safeParse(message);
        if (!parsed.success) {
          this.rejected++;
          log.warn(
            { issues: parsed.error.issues.slice(0, 5), rejectedBatches: this.rejected },
            'dropped an invalid price batch',
          );
          continue;
        }
        this.apply(parsed.data.prices);
      }
    })();
    return () => void feed.return?.();
  }

  /** Feed batches dropped as invalid since start. */
  get rejectedBatches(): number {
    return this.rejected;
  }
}

function toWire(p: PricePoint): WirePrice {
  return { symbol: p.symbol, price: formatDecimal(p.price), updatedAt: p.updatedAt.toISOString() };
}
