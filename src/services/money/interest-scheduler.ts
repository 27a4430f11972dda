import { logger } from '../../lib/logger';
import { LeaseKeeper, type LeaseStore } from '../lease';
import type { InterestService } from './interest.service';

/** The lease that makes one instance of a deployment the accruing one. */
export const INTEREST_ACCRUAL_LEASE = 'interest-accrual';
const LEASE_TTL_MS = 30_000;

/**
 * Runs the hourly accrual by itself (spec section 4): every `intervalMs`, the instance holding the
 * `interest-accrual` lease charges every loan segment whose next hour has started, so each loan is charged
 * within `intervalMs` of each of its hours starting. The lease only saves duplicate work: accrual is
 * idempotent per hour under each account's lock, so two instances that both believe they hold it (a lease
 * lost during a run) still charge every hour once.
 */
export class InterestScheduler {
  private readonly keeper: LeaseKeeper;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly interest: InterestService,
    leases: LeaseStore,
    private readonly intervalMs: number,
  ) {
    this.keeper = new LeaseKeeper(leases, INTEREST_ACCRUAL_LEASE, {
      ttlMs: LEASE_TTL_MS,
      onAcquired: () => logger.info({ lease: INTEREST_ACCRUAL_LEASE }, 'this instance accrues interest'),
      onLost: () =>
        logger.info({ lease: INTEREST_ACCRUAL_LEASE }, 'this instance no longer accrues interest'),
    });
  }

  get isAccruing(): boolean {
    return this.keeper.isHeld;
  }

  start(): void {
    this.keeper.start();
    this.timer = setInterval(() => {
      if (this.keeper.isHeld) void this.run();
    }, this.intervalMs);
    this.timer.unref();
  }

  /** One round, as the timers do it: take or renew the lease, then accrue if it is ours; null when it is not. */
  async tick(): Promise<number | null> {
    return (await this.keeper.tick()) ? this.run() : null;
  }

  private run(): Promise<number> {
    const run = this.interest.accrue().catch((error: unknown) => {
      logger.error({ err: error }, 'interest accrual failed; the next round catches up');
      return 0;
    });
    this.running = run;
    return run;
  }

  /** Stops the timers, lets a running accrual finish and releases the lease. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    await this.keeper.stop();
  }
}
