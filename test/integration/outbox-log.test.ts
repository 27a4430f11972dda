import type { EntityManager } from 'typeorm';
import { dateParam } from '../../src/db/sql';
import { LOG_START } from '../../src/services/events/change-log';
import { DatabaseChangeLog } from '../../src/services/events/database-change-log';
import { backends, type Backend, type TestDatabase } from '../helpers/backends';

/**
 * The outbox table as the log (no Redis): ids are taken at insert and seen at commit, so a reader can see a
 * later id before an earlier one. Rows inserted with explicit ids stand for such commits out of id order.
 */
const insert = (em: EntityManager, accountId: number, id?: number) =>
  em.query(
    `INSERT INTO account_outbox (${id === undefined ? '' : 'id, '}accountId, version, kind, payload, createdAt)
     VALUES (${id === undefined ? '' : '?, '}?, 1, 'transfer', '{"wallets":["SPOT"]}', ?)`,
    [...(id === undefined ? [] : [id]), accountId, dateParam(em, new Date())],
  );

const accountsOf = (entries: { change: { accountId: string } }[]) => entries.map((e) => e.change.accountId);

function outboxLogSuite(backend: Backend) {
  let db: TestDatabase;
  let log: DatabaseChangeLog;
  beforeEach(async () => {
    db = await backend.open();
    log = new DatabaseChangeLog(db.ds, 2);
  });
  afterEach(async () => {
    await log.close();
    await db.close();
  });

  it('hands a reader a row committed after a later one it has read, and only its own shard', async () => {
    await insert(db.ds.manager, 100, 1);
    await insert(db.ds.manager, 102, 3);
    await insert(db.ds.manager, 101, 4);
    const first = await log.read(0, LOG_START, 0);
    expect(accountsOf(first)).toEqual(['100', '102']);
    // Id 2 commits now; the reader resumes from the last entry it got.
    await insert(db.ds.manager, 104, 2);
    const late = await log.read(0, first[first.length - 1].id, 0);
    expect(accountsOf(late)).toEqual(['104']);
    expect(await log.read(0, late[late.length - 1].id, 0)).toEqual([]);
  });

  it('keeps the ids below its head that are still committing for the reader that resumes from it', async () => {
    await insert(db.ds.manager, 100, 10);
    await insert(db.ds.manager, 102, 12);
    const head = await log.head(0);
    expect(head).toBe('12');
    await insert(db.ds.manager, 106, 11);
    expect(accountsOf(await log.read(0, head, 0))).toEqual(['106']);
  });
}

describe.each(backends())('the outbox log without Redis on $name', outboxLogSuite);

// Two transactions whose commits cross: only a server with concurrent writers can show it (SQLite has one).
const servers = backends().filter((b) => b.name === 'mysql');
if (servers.length > 0)
  describe.each(servers)('the outbox log under crossing commits on $name', (backend) => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await backend.open();
    });
    afterAll(() => db?.close());

    it('reads the earlier id once its transaction commits after a later one', async () => {
      const log = new DatabaseChangeLog(db.ds, 1);
      try {
        const head = await log.head(0);
        const slow = db.ds.createQueryRunner();
        await slow.startTransaction();
        try {
          await insert(slow.manager, 200);
          await insert(db.ds.manager, 202);
          const seen = await log.read(0, head, 0);
          expect(accountsOf(seen)).toEqual(['202']);
          await slow.commitTransaction();
          expect(accountsOf(await log.read(0, seen[seen.length - 1].id, 0))).toEqual(['200']);
        } finally {
          await slow.release();
        }
      } finally {
        await log.close();
      }
    });
  });
