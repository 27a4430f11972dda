import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { ProtocolSocket } from '../test/helpers/ws-protocol';

/** Sockets opened at once while a fleet grows. */
const OPENING = 200;

/**
 * The receiving side of P2: clients that each know the newest tick they have seen. A tick is published at
 * `t0`; a client's latency for it is the time until it first receives that tick's value or a newer one (a
 * coalesced update that skips a tick delivers the skipped one too, no later than that). `reached(k)` resolves
 * when every client has tick k.
 */
export class Fleet {
  private readonly sent: number[] = [];
  private readonly seen: number[] = [];
  private readonly counts: number[] = [];
  private readonly waiters = new Map<number, () => void>();
  private latencies: number[] = [];
  /** Sizes of the messages received, for the floor's same-sized message. */
  readonly bytes: number[] = [];
  tick = 0;

  get size(): number {
    return this.seen.length;
  }

  /** A new client, at tick `tick`; returns its number for `receive`. */
  join(tick: number): number {
    this.seen.push(tick);
    return this.seen.length - 1;
  }

  leave(): void {
    this.seen.length = 0;
  }

  /** Tick k is being published now. */
  publishing(k: number): void {
    this.tick = k;
    this.sent[k] = performance.now();
    this.counts[k] = 0;
  }

  receive(client: number, tick: number): void {
    const now = performance.now();
    for (let k = this.seen[client] + 1; k <= tick; k++) {
      const t0 = this.sent[k];
      if (t0 === undefined) continue;
      this.latencies.push(now - t0);
      if (++this.counts[k] === this.seen.length) this.waiters.get(k)?.();
    }
    if (tick > this.seen[client]) this.seen[client] = tick;
  }

  reached(k: number): Promise<void> {
    if (this.counts[k] === this.seen.length) return Promise.resolve();
    return new Promise((resolve) => this.waiters.set(k, resolve));
  }

  /** The latencies recorded since the last call, ms. */
  takeLatencies(): number[] {
    const taken = this.latencies;
    this.latencies = [];
    return taken;
  }
}

export const MARGIN_RATIO = `subscription { marginRatio { accountId risk { uniMMR status accountEquity accountMaintMargin
  availableBalance assets { asset equity valueUsd } updatedAt } } }`;

/** Tick k moves BTC to 90,000 + k; each account's BTC equity is exactly 1, so its BTC valueUsd names the tick. */
export const btcPriceOf = (tick: number): string => String(90_000 + tick);

function tickOf(payload: { data?: unknown }): number {
  const risk = (payload.data as { marginRatio: { risk: { assets: { asset: string; valueUsd: string }[] } } })
    .marginRatio.risk;
  const btc = risk.assets.find((a) => a.asset === 'BTC');
  if (!btc) throw new Error('a bench account without BTC');
  return Math.round(Number(btc.valueUsd)) - 90_000;
}

async function inWaves<T>(count: number, open: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let from = 0; from < count; from += OPENING)
    out.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(OPENING, count - from) }, (_, k) => open(from + k)),
      )),
    );
  return out;
}

/** graphql-ws clients, one socket and one marginRatio subscription each, over the given tokens. */
export async function joinGraphqlClients(
  fleet: Fleet,
  wsUrl: string,
  tokens: string[],
): Promise<ProtocolSocket[]> {
  return inWaves(tokens.length, async (i) => {
    const socket = await ProtocolSocket.open(wsUrl, { authorization: `Bearer ${tokens[i]}` });
    await new Promise<void>((resolve, reject) => {
      let client = -1;
      socket.subscribe(
        MARGIN_RATIO,
        {},
        {
          next: (payload, raw) => {
            if (payload.errors) return reject(new Error(JSON.stringify(payload.errors)));
            const tick = tickOf(payload);
            if (client < 0) {
              client = fleet.join(tick);
              fleet.bytes.push(Buffer.byteLength(raw));
              resolve();
            } else fleet.receive(client, tick);
          },
          error: (errors) => reject(new Error(JSON.stringify(errors))),
        },
      );
    });
    return socket;
  });
}

/** Plain `ws` clients of the floor's server. */
export async function joinRawClients(fleet: Fleet, wsUrl: string, count: number): Promise<WebSocket[]> {
  return inWaves(count, async () => {
    const socket = new WebSocket(wsUrl, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const client = fleet.join(fleet.tick);
    socket.on('message', (data) =>
      fleet.receive(client, (JSON.parse(String(data)) as { tick: number }).tick),
    );
    return socket;
  });
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}
