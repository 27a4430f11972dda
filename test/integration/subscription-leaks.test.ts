import { LedgerEntryEntity } from '../../src/entities';
import { registry } from '../../src/observability/metrics';
import type { Tally } from '../../src/lib/tally';
import { backends } from '../helpers/backends';
import { pmAccount } from '../helpers/money';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { ProtocolSocket } from '../helpers/ws-protocol';

/** Subscribe/unsubscribe cycles of each subscription (issue 9). */
const CYCLES = 10_000;
/** Operations started together on the socket; every 10th batch ends with the socket cut instead of completes. */
const BATCH = 250;
/** Of each batch, this many are completed right after `subscribe`, racing the server's setup of them. */
const EARLY = 25;

interface Kind {
  name: string;
  query: string;
  /** How the test knows an operation is set up: its first event, or its listener on a bus. */
  established: 'event' | { bus: 'bus' | 'localBus'; topic: (accountId: string) => string };
}

const KINDS: Kind[] = [
  { name: 'marginRatio', query: 'subscription { marginRatio { accountId } }', established: 'event' },
  {
    name: 'walletUpdated',
    query: 'subscription { walletUpdated { cursor } }',
    established: { bus: 'bus', topic: (id) => `ACCOUNT_CHANGED:${id}` },
  },
  {
    name: 'ledgerEntries',
    query: 'subscription($after: String) { ledgerEntries(after: $after) { id } }',
    established: 'event',
  },
  {
    name: 'marginCallAlert',
    query: 'subscription { marginCallAlert { accountId } }',
    established: { bus: 'bus', topic: (id) => `MARGIN_CALL:${id}` },
  },
  {
    name: 'prices',
    query: 'subscription { prices(symbols: ["BTC"]) { symbol } }',
    established: { bus: 'localBus', topic: () => 'PRICE:BTC' },
  },
];

/** Listeners of the bus on the key ending with `topic` (the shared bus prefixes its keys). */
const listening = (tally: Tally, topic: string) =>
  [...tally.entries()].reduce((n, [key, count]) => (key.endsWith(topic) ? n + count : n), 0);

/** No topic has more listeners than when the cycles began. */
const noMoreThan = (now: Map<string, number>, idle: Map<string, number>) =>
  [...now].every(([key, count]) => count <= (idle.get(key) ?? 0));

/** `promise`, or a failure naming what was still held after `ms`. */
async function within<T>(ms: number, promise: Promise<T>, held: () => unknown): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still held after ${ms} ms: ${JSON.stringify(held())}`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function wsSubscriptions(): Promise<number> {
  const metric = await registry.getSingleMetric('graphql_ws_subscriptions')!.get();
  return metric.values[0].value;
}

describe.each(backends())('subscriptions release everything on $name', (backend) => {
  let t: TestApp;
  let account: { id: string; token: string };
  /** The entry before the account's newest: ledgerEntries replays one entry, then goes live. */
  let after: string;
  beforeAll(async () => {
    // connection_init is answered late when the machine is busy: this test is not about that timeout.
    t = await startTestApp(backend, {
      env: { WS_MAX_SUBSCRIPTIONS: String(2 * BATCH), WS_CONNECTION_INIT_TIMEOUT_MS: '60000' },
    });
    // Ledger entries (deposits and transfers) for the replay of ledgerEntries.
    account = await pmAccount(t, { USDT: '1000', BTC: '1' });
    const newest = await t.db.ds
      .getRepository(LedgerEntryEntity)
      .find({ where: { accountId: account.id }, order: { id: 'DESC' }, take: 2 });
    after = newest[1].id;
  });
  afterAll(() => t?.stop());

  /** One batch on `socket`: start `BATCH` operations, complete the early ones at once, the rest once set up. */
  async function batch(socket: ProtocolSocket, kind: Kind, size: number, cut: boolean): Promise<void> {
    const { bus, localBus } = t.app.services;
    const late: string[] = [];
    const seen = new Set<string>();
    let failed: (error: Error) => void = () => undefined;
    let allSeen: () => void = () => undefined;
    const events = new Promise<void>((resolve, reject) => {
      allSeen = resolve;
      failed = reject;
    });
    for (let i = 0; i < size; i++) {
      const id: string = socket.subscribe(
        kind.query,
        { after },
        {
          next: (payload) => {
            if (payload.errors) return failed(new Error(JSON.stringify(payload.errors)));
            seen.add(id);
            if (seen.size === size - EARLY) allSeen();
          },
          error: (errors) => failed(new Error(`${kind.name}: ${JSON.stringify(errors)}`)),
          complete: () => failed(new Error(`${kind.name} completed by the server`)),
        },
      );
      if (i < EARLY) socket.complete(id);
      else late.push(id);
    }
    if (kind.established === 'event') {
      await events;
    } else {
      const { bus: which, topic } = kind.established;
      const tally = (which === 'bus' ? bus : localBus).listeners;
      const key = topic(account.id);
      await Promise.race([tally.until((x) => listening(x, key) >= size - EARLY), events]);
    }
    if (cut) await socket.terminate();
    else for (const id of late) socket.complete(id);
  }

  it.each(KINDS.map((k) => [k.name, k] as const))(
    `%s: ${CYCLES.toLocaleString('en-US')} subscribe/complete cycles and cut sockets leave no watch and no listener`,
    async (_name, kind) => {
      const { bus, localBus, riskPush, riskBook, ledgerTail } = t.app.services;
      const idle = { bus: bus.listeners.entries(), localBus: localBus.listeners.entries() };
      const auth = { authorization: `Bearer ${account.token}` };
      let socket = await ProtocolSocket.open(t.wsUrl, auth);
      try {
        for (let done = 0, n = 0; done < CYCLES; n++) {
          const size = Math.min(BATCH, CYCLES - done);
          const cut = n % 10 === 9;
          await batch(socket, kind, size, cut);
          if (cut) socket = await ProtocolSocket.open(t.wsUrl, auth);
          done += size;
        }
      } catch (error) {
        await socket.terminate();
        throw error;
      }
      const held = () => ({
        bus: Object.fromEntries(bus.listeners.entries()),
        localBus: Object.fromEntries(localBus.listeners.entries()),
        watchedAccounts: riskPush.watchedAccounts,
        ledgerFollowers: ledgerTail.followers.total,
      });
      await within(
        60_000,
        Promise.all([
          bus.listeners.until((x) => noMoreThan(x.entries(), idle.bus)),
          localBus.listeners.until((x) => noMoreThan(x.entries(), idle.localBus)),
          riskPush.watched.until((x) => x.total === 0),
          ledgerTail.followers.until((x) => x.total === 0),
        ]),
        held,
      );
      expect(riskBook.book.watchedAccounts).toBe(0);
      expect(await wsSubscriptions()).toBe(0);
      await socket.close();
    },
    600_000,
  );
});
