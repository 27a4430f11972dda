import { performance } from 'node:perf_hooks';
import { dec, type Decimal } from '../src/lib/decimal';
import { riskParamsFromReference } from '../src/services/margin';
import { PriceSnapshot } from '../src/services/prices/snapshot';
import { RiskBook } from '../src/services/risk-book/book';
import { Drain } from '../src/services/risk-book/drain';
import { Floor } from './risk-book-floor';
import { blackhole } from './lib';
import { accountGenerator, BINANCE_SIZE, universe } from './universe';

/**
 * One P1 measurement in a process of its own (node --max-old-space-size=8192 --expose-gc): builds a book of
 * `accounts` accounts of the synthetic universe in memory, then, for each coin of `ticks` (held by `share` of
 * the accounts), times ticks moving the coin's index and every mark based on it by 2% (alternately down and
 * up) from `setPrices` until the drain has decided every exposed account, next to the floor doing the same
 * arithmetic on the same accounts. Prints one JSON line.
 */
export interface TickResult {
  coin: string;
  share: number;
  exposed: number;
  /** CPU time (user + system) of the process, robust to the load of a shared machine. */
  tickMs: number;
  wallMs: number;
  floorMs: number;
  exactPerTick: number;
  transitionsPerTick: number;
  longestSliceMs: number;
}
export interface ChildResult {
  accounts: number;
  buildMs: number;
  heapBytesPerAccount: number;
  arrayBytesPerAccount: number;
  ticks: TickResult[];
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2]) as {
    accounts: number;
    ticks: { coin: string; share: number }[];
    repeat: number;
  };
  const u = universe(BINANCE_SIZE);
  const params = riskParamsFromReference(u.reference);
  const snapshot = new PriceSnapshot((s) => params.assets.has(s));
  let clock = 0;
  const write = (prices: Map<string, Decimal>) => {
    const at = new Date(++clock);
    const points = [...prices].map(([symbol, price]) => ({ symbol, price, updatedAt: at }));
    return snapshot.write(points).map((p) => p.symbol);
  };
  write(u.prices);
  const book = new RiskBook(params);
  book.setPrices(snapshot, u.prices.keys());

  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const next = accountGenerator(u, 7, new Map(options.ticks.map((t) => [t.coin, t.share])));
  // The generator's pools of amounts are made on first use: not the book's memory.
  for (let n = 0; n < 3000; n++) next();
  gc();
  const before = process.memoryUsage();
  const buildStart = performance.now();
  for (let n = 0; n < options.accounts; n++) book.upsertAccount(String(n + 1), 1, next());
  book.drainSome(Number.MAX_SAFE_INTEGER);
  const buildMs = performance.now() - buildStart;
  gc();
  const after = process.memoryUsage();

  const drain = new Drain(book);
  let transitions = 0;
  book.onDecision((d) => void (d.previous !== d.status && transitions++));
  const { state, exposedTo } = book.inspect();
  const ticks: TickResult[] = [];
  for (const { coin, share } of options.ticks) {
    const keys = [coin, ...(u.symbolsOf.get(coin) ?? [])];
    const moved = new Uint8Array(state.prices.length);
    const fp = state.params;
    for (const k of keys)
      moved[fp.assetIds.get(k) ?? fp.assetNames.length + (fp.symbolIds.get(k) as number)] = 1;
    const floor = new Floor(state, moved);
    const exposedAccounts = new Set<number>();
    for (const k of keys) for (const i of exposedTo(k)) exposedAccounts.add(i);
    for (const i of exposedAccounts) floor.add(i);
    floor.pack();
    const floorPrices = Float64Array.from(state.prices);

    const bookTimes: number[] = [];
    const wallTimes: number[] = [];
    const floorTimes: number[] = [];
    const cpuMs = (since: NodeJS.CpuUsage) => {
      const used = process.cpuUsage(since);
      return (used.user + used.system) / 1000;
    };
    const exactBefore = book.stats.exact;
    const transitionsBefore = transitions;
    let exposed = 0;
    for (let t = 0; t <= options.repeat; t++) {
      const factor = t % 2 === 0 ? '0.98' : '1';
      const prices = new Map(keys.map((k) => [k, (u.prices.get(k) as Decimal).times(dec(factor))]));
      const changed = write(prices);
      const start = performance.now();
      const startCpu = process.cpuUsage();
      exposed = book.setPrices(snapshot, changed);
      await drain.idle();
      const took = cpuMs(startCpu);
      const wall = performance.now() - start;
      floorPrices.set(state.prices);
      const floorStart = process.cpuUsage();
      blackhole.value = floor.tick(floorPrices);
      const floorTook = cpuMs(floorStart);
      // The first tick warms both up.
      if (t > 0) {
        bookTimes.push(took);
        wallTimes.push(wall);
        floorTimes.push(floorTook);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    ticks.push({
      coin,
      share,
      exposed,
      tickMs: median(bookTimes),
      wallMs: median(wallTimes),
      floorMs: median(floorTimes),
      exactPerTick: (book.stats.exact - exactBefore) / (options.repeat + 1),
      transitionsPerTick: (transitions - transitionsBefore) / (options.repeat + 1),
      longestSliceMs: drain.stats.longestSliceMs,
    });
  }
  drain.stop();
  const result: ChildResult = {
    accounts: options.accounts,
    buildMs,
    heapBytesPerAccount: (after.heapUsed - before.heapUsed) / options.accounts,
    arrayBytesPerAccount: (after.arrayBuffers - before.arrayBuffers) / options.accounts,
    ticks,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exitCode = 1;
});
