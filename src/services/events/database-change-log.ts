import type { DataSource } from 'typeorm';
import { Wakeup } from '../../lib/wakeup';
import { logger } from '../../lib/logger';
import { placeholders, sqlQuery } from '../../db/sql';
import { LOG_RETAINED, LOG_START, type ChangeLog, type LogEntry } from './change-log';
import { changeOf, outboxSignal, type AccountChange } from './outbox';
import { shardOf } from './shards';

const PAGE = 1000;
/** An outbox row as the log reads it (`changeOf`); the WHERE clause follows. */
const SELECT_ROWS = 'SELECT id, accountId, version, kind, payload FROM account_outbox';
/** Rows other instances commit are seen within this (this instance's own commits wake readers at once). */
const POLL_MS = 100;
/** Every this many reads, rows beyond LOG_RETAINED are deleted. */
const TRIM_EVERY = 500;
/**
 * An id missing below one already read is asked for again until it appears or this much time has passed: a
 * money transaction commits within milliseconds of writing its row, and a rolled-back one leaves its id unused.
 */
const HOLE_MS = 60_000;
/** Ids missing at most, per reader: a larger gap is not an insert still committing (it is logged and left). */
const MAX_HOLES = 10_000;
/** How far below the newest row `head` looks for ids still committing. */
const HEAD_WINDOW = 10_000;

/**
 * Where a shard's reader is: every id up to `scanned` was read, or is a hole (an id taken by an insert that had
 * not committed when a later one was read), asked for again until it appears.
 */
interface Place {
  /** The position the reader holds (the last entry it got, or the head it took). */
  key: string;
  scanned: number;
  /** Hole id -> when it was first missed (ms). */
  holes: Map<number, number>;
}

/**
 * Without Redis the outbox table itself is the log: its auto-increment ids are the positions, every instance
 * on the database reads the same rows, and a row stays until LOG_RETAINED newer ones exist (nothing relays
 * or deletes it sooner). A shard's reader filters the rows of its accounts.
 *
 * Ids are taken at insert and seen at commit, so concurrent transactions can show id 11 before id 10. A reader
 * that went on from 11 would never see 10: each shard's reader keeps the ids it has passed without seeing as
 * holes and asks for them again at each read until they appear (HOLE_MS). This needs ids taken in order, as
 * InnoDB and SQLite take them; a database that hands out id ranges per node (TiDB, Galera) needs the Redis log.
 */
export class DatabaseChangeLog implements ChangeLog {
  private reads = 0;
  private closed = false;
  private readonly wakeup = new Wakeup();
  private readonly onCommit = () => this.wakeup.wakeAll();
  /** One reader per shard in an instance (ShardFeeds). */
  private readonly places = new Map<number, Place>();

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
    const place = this.placeOf(shard, afterId);
    for (;;) {
      const late = await this.holesFilled(place);
      const rows: Record<string, unknown>[] = await sqlQuery(
        this.ds.manager,
        `${SELECT_ROWS} WHERE id > ? ORDER BY id LIMIT ${PAGE}`,
        [place.scanned],
      );
      this.passed(place, rows);
      const entries = [...late, ...rows]
        .map((row) => ({ id: String(row.id), change: changeOf(row) }))
        .filter((e) => shardOf(e.change.accountId, this.shards) === shard);
      if (entries.length > 0) {
        // The reader resumes from its last entry: this place is kept under that position.
        place.key = entries[entries.length - 1].id;
        return entries;
      }
      if (rows.length === PAGE) continue;
      const left = deadline - Date.now();
      if (left <= 0 || this.closed) return [];
      await this.wakeup.sleep(Math.min(left, POLL_MS));
    }
  }

  /** The newest id, and the ids below it still committing: a reader resuming from here asks for them too. */
  async head(shard: number): Promise<string> {
    const newest = await this.newest();
    if (newest === 0) return LOG_START;
    const place: Place = {
      key: String(newest),
      scanned: Math.max(newest - HEAD_WINDOW, 0),
      holes: new Map(),
    };
    const recent: Record<string, unknown>[] = await sqlQuery(
      this.ds.manager,
      'SELECT id FROM account_outbox WHERE id > ? AND id <= ? ORDER BY id',
      [place.scanned, newest],
    );
    this.passed(place, recent);
    this.places.set(shard, place);
    return place.key;
  }

  async close(): Promise<void> {
    this.closed = true;
    outboxSignal(this.ds).off('committed', this.onCommit);
    this.wakeup.wakeAll();
  }

  /** The reader's place when it resumes from where this log left it; else a fresh one at `afterId`. */
  private placeOf(shard: number, afterId: string): Place {
    const held = this.places.get(shard);
    if (held?.key === afterId) return held;
    const place: Place = { key: afterId, scanned: position(afterId), holes: new Map() };
    this.places.set(shard, place);
    return place;
  }

  /** Moves `place` past `rows` (in id order), keeping the ids between them that were not there as holes. */
  private passed(place: Place, rows: Record<string, unknown>[]): void {
    const now = Date.now();
    for (const row of rows) {
      const id = position(String(row.id));
      if (id - place.scanned - 1 + place.holes.size > MAX_HOLES)
        logger.warn({ from: place.scanned, to: id }, 'outbox log: ids skipped, too many to wait for');
      else for (let hole = place.scanned + 1; hole < id; hole++) place.holes.set(hole, now);
      place.scanned = id;
    }
  }

  /** The rows of holes that have committed since; holes older than HOLE_MS are given up. */
  private async holesFilled(place: Place): Promise<Record<string, unknown>[]> {
    if (place.holes.size === 0) return [];
    const now = Date.now();
    for (const [hole, since] of place.holes)
      if (now - since > HOLE_MS) {
        place.holes.delete(hole);
        logger.debug({ id: hole }, 'outbox log: id never committed (a rolled-back transaction)');
      }
    const ids = [...place.holes.keys()].slice(0, PAGE);
    if (ids.length === 0) return [];
    const rows: Record<string, unknown>[] = await sqlQuery(
      this.ds.manager,
      `${SELECT_ROWS} WHERE id IN (${placeholders(ids.length)}) ORDER BY id`,
      ids,
    );
    for (const row of rows) place.holes.delete(position(String(row.id)));
    return rows;
  }

  /** The newest row's id; 0 when the table is empty. */
  private async newest(): Promise<number> {
    const rows: { id: unknown }[] = await this.ds.query('SELECT MAX(id) AS id FROM account_outbox');
    return position(String(rows[0]?.id ?? 0));
  }

  private async trim(): Promise<void> {
    const newest = await this.newest();
    if (newest > LOG_RETAINED)
      await this.ds.query('DELETE FROM account_outbox WHERE id <= ?', [newest - LOG_RETAINED]);
  }
}

/** An outbox id as a position ('0-0', the log's start, is 0). */
const position = (id: string): number => Number.parseInt(id, 10) || 0;
