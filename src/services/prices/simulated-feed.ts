import { dec, type Decimal } from '../../lib/decimal';
import { logger } from '../../lib/logger';
import type { Catalog } from '../catalog/catalog';
import type { PricePoint, PriceService } from './price.service';

/** Largest relative move of one tick of the demo feed. */
const MAX_STEP = 0.002;
const PRICE_DECIMALS = 8;

/**
 * Demo prices: each non-stable asset's index walks randomly by up to 0.2% a tick; each futures mark
 * follows its base's index. Randomness picks the step only; the prices themselves stay exact decimals.
 */
export class SimulatedFeed {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly catalog: Catalog,
    private readonly prices: PriceService,
    private readonly intervalMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  start(): void {
    this.timer = setInterval(
      () => void this.tick().catch((err: unknown) => logger.error({ err }, 'simulated feed tick failed')),
      this.intervalMs,
    );
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async tick(): Promise<number> {
    const at = new Date();
    const points: PricePoint[] = [];
    const index = new Map<string, Decimal>();
    for (const asset of this.catalog.assets) {
      const held = this.prices.get(asset.symbol);
      if (!held) continue;
      const stable = held.price.eq(1) && asset.symbol.startsWith('USD');
      const price = stable ? held.price : this.step(held.price);
      index.set(asset.symbol, price);
      if (!stable) points.push({ symbol: asset.symbol, price, updatedAt: at });
    }
    for (const symbol of this.catalog.symbols) {
      const base = index.get(symbol.base);
      if (base) points.push({ symbol: symbol.symbol, price: base, updatedAt: at });
    }
    return this.prices.publish(points);
  }

  private step(price: Decimal): Decimal {
    const factor = dec((1 + (this.random() * 2 - 1) * MAX_STEP).toFixed(6));
    return price.times(factor).toDecimalPlaces(PRICE_DECIMALS);
  }
}
