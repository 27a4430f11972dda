import type { DataSource } from 'typeorm';
import { logger } from '../../lib/logger';
import { onEachEvent, type EventBus } from '../../pubsub';
import type { Catalog } from './catalog';

/**
 * Keeps this instance's catalogue at the database's version: reloads on every CATALOG_CHANGED event, and
 * polls the version row every `pollMs` in case an event was lost (Redis down, an instance that started
 * in between), so a change reaches every instance within a second without a restart.
 */
export class CatalogSync {
  private timer: NodeJS.Timeout | null = null;
  private stopEvents: (() => void) | null = null;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly ds: DataSource,
    private readonly bus: EventBus,
    private readonly catalog: Catalog,
    private readonly pollMs = 500,
  ) {}

  start(): void {
    this.stopEvents = onEachEvent(this.bus, 'CATALOG_CHANGED', '*', 16, (change) => {
      if (change.version > this.catalog.version) this.check();
    });
    this.timer = setInterval(() => this.check(), this.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.stopEvents?.();
    this.again = false;
    await this.running;
  }

  /** One reload at a time; a request during one runs once more after it. */
  check(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.catalog
      .refresh(this.ds)
      .then(() => undefined)
      .catch((err: unknown) => logger.warn({ err }, 'catalog: reload failed'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.check();
        }
      });
  }
}
