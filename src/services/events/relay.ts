import type { DataSource } from 'typeorm';
import { placeholders, sqlQuery } from '../../db/sql';
import { logger } from '../../lib/logger';
import type { ChangeLog } from './change-log';
import { changeOf, outboxSignal, type AccountChange } from './outbox';
import { shardOf } from './shards';

const BATCH = 500;

/**
 * Moves committed outbox rows into each shard's change log and then deletes them: a row is deleted only once
 * appended, so a crash or a Redis outage leaves it to the next pass. Runs at most every `batchMs` after local
 * commits, and every `pollMs` for rows other instances committed.
 */
export class OutboxRelay {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private soon: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Commits within `batchMs` of each other, or of the last pass, are relayed in one pass (one transaction). */
  private readonly onCommit = () => this.schedule();

  constructor(
    private readonly ds: DataSource,
    private readonly log: ChangeLog,
    private readonly shards: number,
    private readonly pollMs = 1000,
    private readonly batchMs = 50,
  ) {}

  start(): void {
    this.stopped = false;
    outboxSignal(this.ds).on('committed', this.onCommit);
    this.timer = setInterval(() => this.schedule(), this.pollMs);
    this.timer.unref();
    void this.nudge();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    outboxSignal(this.ds).off('committed', this.onCommit);
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    this.timer = this.soon = null;
    await this.running;
  }

  private schedule(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.soon ??= setTimeout(() => {
      this.soon = null;
      void this.nudge();
    }, this.batchMs);
  }

  /** A pass now (after the one running): resolves when every row committed before the call is relayed. */
  nudge(): Promise<void> {
    if (this.running) return this.running.then(() => this.nudge());
    this.again = false;
    this.running = (async () => {
      try {
        while ((await this.relayBatch()) === BATCH);
      } catch (err) {
        logger.warn({ err }, 'outbox relay: pass failed, rows kept for the next one');
      } finally {
        this.running = null;
        if (this.again && !this.stopped) this.schedule();
      }
    })();
    return this.running;
  }
  /**
   * No transaction and no row locks: appended rows are deleted afterwards, so a crash between the two, or
   * two instances relaying the same rows, appends a change twice, which readers skip by its version.
   */
  private async relayBatch(): Promise<number> {
    const em = this.ds.manager;
    const rows: Record<string, unknown>[] = await sqlQuery(
      em,
      `SELECT id, accountId, version, kind, payload FROM account_outbox ORDER BY id LIMIT ${BATCH}`,
      [],
    );
    if (rows.length === 0) return 0;
    const byShard = new Map<number, AccountChange[]>();
    for (const row of rows) {
      const change = changeOf(row);
      const shard = shardOf(change.accountId, this.shards);
      let list = byShard.get(shard);
      if (!list) byShard.set(shard, (list = []));
      list.push(change);
    }
    for (const [shard, changes] of byShard) await this.log.append(shard, changes);
    await sqlQuery(
      em,
      `DELETE FROM account_outbox WHERE id IN (${placeholders(rows.length)})`,
      rows.map((r) => String(r.id)),
    );
    return rows.length;
  }
}
