import type { DataSource } from 'typeorm';
import { Wakeup } from '../../lib/wakeup';
import { sqlQuery } from '../../db/sql';
import { LOG_RETAINED, LOG_START, type ChangeLog, type LogEntry } from './change-log';
import { changeOf, outboxSignal, type AccountChange } from './outbox';
import { shardOf } from './shards';

const PAGE = 1000;
/** Rows other instances commit are seen within this (this instance's own commits wake readers at once). */
const POLL_MS = 100;
/** Every this many reads, rows beyond LOG_RETAINED are deleted. */
const TRIM_EVERY = 500;

/**
 * Without Redis the outbox table itself is the log: its auto-increment ids are the positions, every instance
 * on the database reads the same rows, and a row stays until LOG_RETAINED newer ones exist (nothing relays
 * or deletes it sooner). A shard's reader filters the rows of its accounts.
 */
export class DatabaseChangeLog implements ChangeLog {
  private reads = 0;
  private closed = false;
  private readonly wakeup = new Wakeup();
  private readonly onCommit = () => this.wakeup.wakeAll();

  constructor(
    private readonly ds: DataSource,
    private readonly shards: number,
  ) {
    outboxSignal(ds).on('committed', this.onCommit);
  }

  /** The rows are written by the money transactions themselves (recordChange). */
  async append(_shard: number, _changes: AccountChange[]): Promise<void> {}

  async read(shard: number, afterId: string, blockMs: number): Promise<LogEntry[]> {
    if (++this.reads % TRIM_EVERY === 0) await this.trim();
    const deadline = Date.now() + blockMs;
    let after = position(afterId);
    for (;;) {
      const rows: Record<string, unknown>[] = await sqlQuery(
        this.ds.manager,
        `SELECT id, accountId, version, kind, payload FROM account_outbox WHERE id > ? ORDER BY id LIMIT ${PAGE}`,
        [after],
      );
      const entries = rows
        .map((row) => ({ id: String(row.id), change: changeOf(row) }))
        .filter((e) => shardOf(e.change.accountId, this.shards) === shard);
      if (entries.length > 0) return entries;
      // Rows of other shards only: move past them.
      if (rows.length > 0) after = position(String(rows[rows.length - 1].id));
      if (rows.length === PAGE) continue;
      const left = deadline - Date.now();
      if (left <= 0 || this.closed) return [];
      await this.wakeup.sleep(Math.min(left, POLL_MS));
    }
  }

  async head(_shard: number): Promise<string> {
    const rows: { id: unknown }[] = await this.ds.query('SELECT MAX(id) AS id FROM account_outbox');
    const id = rows[0]?.id;
    return id === null || id === undefined ? LOG_START : String(id);
  }

  async close(): Promise<void> {
    this.closed = true;
    outboxSignal(this.ds).off('committed', this.onCommit);
    this.wakeup.wakeAll();
  }

  private async trim(): Promise<void> {
    const newest = position(await this.head(0));
    if (newest > LOG_RETAINED)
      await this.ds.query('DELETE FROM account_outbox WHERE id <= ?', [newest - LOG_RETAINED]);
  }
}

/** An outbox id as a position ('0-0', the log's start, is 0). */
const position = (id: string): number => Number.parseInt(id, 10) || 0;
