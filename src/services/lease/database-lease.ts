import type { DataSource } from 'typeorm';
import { affectedRows as affected, dateParam } from '../../db/sql';
import { inTransaction } from '../../db/transaction';
import { systemClock, type Clock } from '../../lib/clock';
import { checkTtl, type LeaseStore } from './lease';
import { newOwnerId } from './owner';

/**
 * The lease in the `lease` table (name, owner, expiresAt), for deployments without Redis. Taking it is one
 * conditional UPDATE (`expiresAt < now OR owner = me`) and, when no row exists yet, one INSERT that a
 * concurrent INSERT of the same name makes a no-op; the database's row lock decides between racers.
 */
export class DatabaseLeaseStore implements LeaseStore {
  readonly owner = newOwnerId();

  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock = systemClock,
  ) {}

  tryAcquire(name: string, ttlMs: number): Promise<boolean> {
    checkTtl(ttlMs);
    return inTransaction(this.ds, async (em) => {
      const now = this.clock.now();
      const expiresAt = dateParam(em, new Date(now.getTime() + ttlMs));
      const taken = await affected(
        em,
        'UPDATE lease SET owner = ?, expiresAt = ? WHERE name = ? AND (expiresAt < ? OR owner = ?)',
        [this.owner, expiresAt, name, dateParam(em, now), this.owner],
      );
      if (taken > 0) return true;
      const ignore = em.connection.options.type === 'better-sqlite3' ? 'OR IGNORE' : 'IGNORE';
      const inserted = await affected(
        em,
        `INSERT ${ignore} INTO lease (name, owner, expiresAt) VALUES (?, ?, ?)`,
        [name, this.owner, expiresAt],
      );
      return inserted > 0;
    });
  }

  renew(name: string, ttlMs: number): Promise<boolean> {
    checkTtl(ttlMs);
    return inTransaction(this.ds, async (em) => {
      const now = this.clock.now();
      // Only while it is still ours and unexpired: an expired lease may already be someone else's work.
      const renewed = await affected(
        em,
        'UPDATE lease SET expiresAt = ? WHERE name = ? AND owner = ? AND expiresAt >= ?',
        [dateParam(em, new Date(now.getTime() + ttlMs)), name, this.owner, dateParam(em, now)],
      );
      return renewed > 0;
    });
  }

  async release(name: string): Promise<void> {
    await inTransaction(this.ds, (em) =>
      em.query('DELETE FROM lease WHERE name = ? AND owner = ?', [name, this.owner]),
    );
  }

  async close(): Promise<void> {}
}
