import { MoreThan, type DataSource } from 'typeorm';
import { LedgerEntryEntity } from '../../entities';
import { badInput } from '../../errors';
import { Repeater } from '@repeaterjs/repeater';
import type { EventBus } from '../../pubsub';
import { Tally } from '../../lib/tally';

const BATCH = 500;
/** Re-reads the tail this often without an event: an event lost on the way (e.g. before a Redis SUBSCRIBE took effect) only delays, never loses, entries. */
const BACKSTOP_MS = 1_000;

/** A cursor is a LedgerEntry id. */
export function parseLedgerCursor(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  if (!/^\d{1,19}$/.test(raw)) throw badInput('after must be a LedgerEntry id', 'after');
  return raw;
}

/**
 * An account's ledger entries from a cursor on: first those with a higher id, ascending, then each new batch
 * as the account changes (ACCOUNT_CHANGED on the bus wakes the reader, which reads by cursor). One account's
 * postings are made under its row lock, so its ids commit in ascending order and reading "id > cursor" never
 * skips one that commits later: no gap and no duplicate at the seam between replay and live.
 */
export class LedgerTail {
  constructor(
    private readonly ds: DataSource,
    private readonly bus: EventBus,
  ) {}

  private readonly running = new Set<Promise<unknown>>();
  /** Followers running now, per account: metrics and leak checks. */
  readonly followers = new Tally();

  /** Batches of entries, each non-empty and ascending; `after` null starts at the account's newest entry. */
  follow(accountId: string, after: string | null): AsyncIterableIterator<LedgerEntryEntity[]> {
    // The starting point is read now, when the client subscribes, not when the stream is first pulled: an
    // operation the client sends right after subscribing must come after the cursor, never before it.
    const start = after === null ? this.newest(accountId) : Promise.resolve(after);
    start.catch(() => undefined);
    return new Repeater<LedgerEntryEntity[]>(async (push, stop) => {
      const done = this.run(accountId, start, push, stop);
      this.running.add(done);
      this.followers.add(accountId);
      try {
        await done;
      } finally {
        this.running.delete(done);
        this.followers.remove(accountId);
      }
    });
  }

  /** Waits for every follower to end its current read (at shutdown, after the subscriptions closed). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  private async run(
    accountId: string,
    start: Promise<string>,
    push: (batch: LedgerEntryEntity[]) => Promise<unknown>,
    stop: Promise<unknown>,
  ): Promise<void> {
    const changes = this.bus.subscribe('ACCOUNT_CHANGED', accountId, 1);
    // The bus listener is attached on the first next(): ask before reading, so no change falls between.
    let wake = changes.next();
    let stopped = false;
    const stopping = stop.then(() => (stopped = true));
    try {
      let cursor = await start;
      while (!stopped) {
        for (let batch = await this.after(accountId, cursor); batch.length > 0 && !stopped;) {
          cursor = batch[batch.length - 1].id;
          await push(batch);
          batch = batch.length < BATCH ? [] : await this.after(accountId, cursor);
        }
        let timer: NodeJS.Timeout | undefined;
        const woke = await Promise.race([
          wake.then((r) => (r.done ? 'closed' : 'event')),
          new Promise((resolve) => (timer = setTimeout(resolve, BACKSTOP_MS, 'backstop'))),
          stopping.then(() => 'stop'),
        ]);
        clearTimeout(timer);
        if (woke === 'closed') return;
        if (woke === 'event') wake = changes.next();
      }
    } finally {
      await changes.return?.();
    }
  }

  private async newest(accountId: string): Promise<string> {
    const last = await this.ds
      .getRepository(LedgerEntryEntity)
      .findOne({ where: { accountId }, order: { id: 'DESC' }, select: { id: true } });
    return last?.id ?? '0';
  }

  private after(accountId: string, cursor: string): Promise<LedgerEntryEntity[]> {
    return this.ds
      .getRepository(LedgerEntryEntity)
      .find({ where: { accountId, id: MoreThan(cursor) }, order: { id: 'ASC' }, take: BATCH });
  }
}
