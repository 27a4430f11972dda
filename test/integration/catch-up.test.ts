import { LedgerEntryEntity } from '../../src/entities';
import { backends } from '../helpers/backends';
import { code, DEPOSIT, fundedAccount, newKey, transfer } from '../helpers/money';
import { subscribe, takeEvents } from '../helpers/test-app';
import { suiteTestApp } from '../helpers/suite';

const ENTRIES = `subscription($id: ID, $after: String) {
  ledgerEntries(accountId: $id, after: $after) { id wallet asset field amount kind } }`;
const WALLETS = `subscription($after: String) {
  walletUpdated(after: $after) { cursor wallet { type balances { asset free } } } }`;

type Entry = { ledgerEntries: { id: string; wallet: string; amount: string } };
type WalletEvent = {
  walletUpdated: { cursor: string; wallet: { type: string; balances: { free: string }[] } };
};

describe.each(backends())('catch-up after reconnect on $name', (backend) => {
  const suite = suiteTestApp(backend);

  const idsAfter = async (accountId: string, after: string) =>
    (
      await suite.t.db.ds
        .getRepository(LedgerEntryEntity)
        .find({ where: { accountId }, order: { id: 'ASC' } })
    )
      .map((e) => e.id)
      .filter((id) => BigInt(id) > BigInt(after));

  it('replays every entry booked while away exactly once, in order, then goes on live', async () => {
    const a = await fundedAccount(suite.t, { USDT: '1000' });
    const newest = await suite.t.gql<{ me: { ledger: { nodes: { id: string }[] } } }>(
      '{ me { ledger(first: 1) { nodes { id } } } }',
      {},
      a.token,
    );
    const start = newest.data!.me.ledger.nodes[0].id;

    const first = suite.t.wsClient({ authorization: `Bearer ${a.token}` });
    const live = subscribe<Entry>(first, ENTRIES, { after: start });
    await transfer(suite.t, a.token, 'USDT', '10', 'SPOT', 'CROSS_MARGIN');
    const seen = [(await live.next()).ledgerEntries, (await live.next()).ledgerEntries];
    expect(seen.map((e) => e.id)).toEqual(await idsAfter(a.id, start));
    live.close();
    await first.dispose();
    const cursor = seen[1].id;

    // Away: three operations, six entries.
    await transfer(suite.t, a.token, 'USDT', '20', 'SPOT', 'USDM_FUTURES');
    await suite.t.gql(DEPOSIT, { accountId: a.id, asset: 'USDT', amount: '5', key: newKey() }, suite.op);
    await transfer(suite.t, a.token, 'USDT', '5', 'CROSS_MARGIN', 'SPOT');
    const missed = await idsAfter(a.id, cursor);
    expect(missed).toHaveLength(6);

    const again = suite.t.wsClient({ authorization: `Bearer ${a.token}` });
    const resumed = subscribe<Entry>(again, ENTRIES, { after: cursor });
    const replayed: string[] = [];
    for (const _ of missed) replayed.push((await resumed.next()).ledgerEntries.id);
    expect(replayed).toEqual(missed);

    await transfer(suite.t, a.token, 'USDT', '1', 'SPOT', 'CROSS_MARGIN');
    const next = [(await resumed.next()).ledgerEntries.id, (await resumed.next()).ledgerEntries.id];
    expect(next).toEqual(await idsAfter(a.id, missed[missed.length - 1]));
    resumed.close();
  });

  it('walletUpdated after a cursor sends the wallets changed since, with the cursor to resume from', async () => {
    const a = await fundedAccount(suite.t, { USDT: '1000' });
    const [mark] = (
      await suite.t.db.ds
        .getRepository(LedgerEntryEntity)
        .find({ where: { accountId: a.id }, order: { id: 'DESC' } })
    ).map((e) => e.id);
    await transfer(suite.t, a.token, 'USDT', '250', 'SPOT', 'CROSS_MARGIN');
    const client = suite.t.wsClient({ authorization: `Bearer ${a.token}` });
    const got = await takeEvents<WalletEvent>(client, WALLETS, { after: mark }, 2);
    const [last] = await idsAfter(a.id, mark).then((ids) => ids.slice(-1));
    expect(got.map((g) => g.walletUpdated.cursor)).toEqual([last, last]);
    expect(
      got.map((g) => [g.walletUpdated.wallet.type, g.walletUpdated.wallet.balances[0].free]).sort(),
    ).toEqual([
      ['CROSS_MARGIN', '250'],
      ['SPOT', '750'],
    ]);
  });

  it('asks operators to name the account and refuses a cursor that is not an entry id', async () => {
    const a = await fundedAccount(suite.t, { USDT: '1' });
    const operator = suite.t.wsClient({ authorization: `Bearer ${suite.op}` });
    await expect(takeEvents(operator, ENTRIES, {}, 1, 5000)).rejects.toThrow(/BAD_USER_INPUT/);
    const user = suite.t.wsClient({ authorization: `Bearer ${a.token}` });
    await expect(takeEvents(user, ENTRIES, { after: 'x1' }, 1, 5000)).rejects.toThrow(/BAD_USER_INPUT/);
    await expect(takeEvents(user, ENTRIES, { id: '999999' }, 1, 5000)).rejects.toThrow(/FORBIDDEN/);
    expect(code({})).toBeUndefined();
  });
});
