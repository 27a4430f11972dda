import { logger } from '../../lib/logger';
import type { LeaseStore } from './lease';

export interface LeaseKeeperOptions {
  ttlMs: number;
  /** Called when this keeper has just taken the lease: start the leased work. */
  onAcquired?: () => void;
  /** Called when the lease is no longer ours (renew refused or failed, or stop()): stop the leased work. */
  onLost?: () => void;
}

/**
 * Holds the lease `name` while running: tries to take it at start and every ttl/3 while another owner has it,
 * and renews it every ttl/3 while held, so two missed renewals still leave a third inside the ttl. A renewal
 * that is refused or fails (the store unreachable) counts as lost: the holder stops rather than risk two.
 * `tick()` is one such step, for tests that drive the keeper without timers.
 */
export class LeaseKeeper {
  private held = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private last: Promise<boolean> = Promise.resolve(false);

  constructor(
    private readonly store: LeaseStore,
    readonly name: string,
    private readonly options: LeaseKeeperOptions,
  ) {}

  get isHeld(): boolean {
    return this.held;
  }

  start(): void {
    this.stopped = false;
    const loop = () => {
      void this.tick().finally(() => {
        if (!this.stopped) {
          this.timer = setTimeout(loop, Math.max(1, Math.floor(this.options.ttlMs / 3)));
          this.timer.unref();
        }
      });
    };
    loop();
  }

  /** One acquire-or-renew step, after any step still running; resolves to whether the lease is ours. */
  tick(): Promise<boolean> {
    this.last = this.last.then(() => this.step());
    return this.last;
  }

  private async step(): Promise<boolean> {
    if (this.stopped) return false;
    let ours: boolean;
    try {
      ours = this.held
        ? await this.store.renew(this.name, this.options.ttlMs)
        : await this.store.tryAcquire(this.name, this.options.ttlMs);
    } catch (error) {
      logger.warn({ err: error, lease: this.name }, 'lease store unreachable; treating the lease as lost');
      ours = false;
    }
    this.setHeld(ours);
    return ours;
  }

  private setHeld(ours: boolean): void {
    if (ours === this.held) return;
    this.held = ours;
    if (ours) this.options.onAcquired?.();
    else this.options.onLost?.();
  }

  /** Stops renewing, waits for a step in flight, and releases the lease if held (calling onLost). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.last;
    if (!this.held) return;
    this.setHeld(false);
    await this.store.release(this.name).catch((error: unknown) => {
      logger.warn({ err: error, lease: this.name }, 'lease release failed; it will expire');
    });
  }
}
