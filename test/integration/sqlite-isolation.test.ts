import { inTransaction } from '../../src/db/transaction';
import { AccountEntity } from '../../src/entities';
import { backends } from '../helpers/backends';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * SQLite's one connection: a write or read made while a money transaction is open waits for it, so it can
 * neither join the transaction (and vanish with its rollback) nor see its uncommitted rows.
 */
describe('SQLite runs every read and write alone on its one connection', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backends().find((b) => b.name === 'sqlite')!);
  });
  afterAll(() => t?.stop());

  it('keeps an account created during a rolled-back money transaction, and hides the transaction from readers', async () => {
    const ds = t.db.ds;
    const before = await ds.getRepository(AccountEntity).count();
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    let finish!: () => void;
    const finishing = new Promise<void>((resolve) => (finish = resolve));
    const rolledBack = inTransaction(ds, async (em) => {
      await em.insert(AccountEntity, {
        vipLevel: 9,
        mode: 'CLASSIC',
        createdAt: new Date(),
        activatedAt: null,
      });
      entered();
      await finishing;
      throw new Error('rolled back');
    });
    await inside;
    // Both start while the transaction is open (its row inserted, not committed).
    const created = t.app.services.accountAdmin.create(0);
    const counted = ds.getRepository(AccountEntity).count();
    finish();
    await expect(rolledBack).rejects.toThrow('rolled back');
    const account = await created;
    expect(await counted).toBe(before);
    expect(await ds.getRepository(AccountEntity).findOneBy({ id: account.id })).not.toBeNull();
    expect(await ds.getRepository(AccountEntity).count()).toBe(before + 1);
  });
});
