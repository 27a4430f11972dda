import { performance } from 'node:perf_hooks';
import { dec } from '../src/lib/decimal';
import { riskParamsFromReference } from '../src/services/margin';
import { PriceSnapshot } from '../src/services/prices/snapshot';
import { RiskBook } from '../src/services/risk-book/book';
import { Drain } from '../src/services/risk-book/drain';
import { Floor } from './risk-book-floor';
import { blackhole } from './lib';
import { accountGenerator, BINANCE_SIZE, universe } from './universe';

/**
 * One P1 measurement in a process of its own (node --max-old-space-size=8192 --expose-gc): builds the book of
 * `accounts` accounts of the synthetic universe in memory, then times BTC ticks (BTC's index and every
 * BTC-based mark moving 2%, alternately down and up) from `setPrices` until the drain has decided every
 * exposed account, next to the floor doing the same arithmetic. Prints one JSON line.
 */
export interface ChildResult {
  accounts: number;
  exposed: number;
  floorAccounts: number;
  tickMs: number;
  floorMs: number;
  buildMs: number;
  heapBytesPerAccount: number;
  arrayBytesPerAccount: number;
  exactPerTick: number;
  transitionsPerTick: number;
  longestSliceMs: number;
}

async function main(): Promise<void> {
  const { accounts, btcShare, ticks } = JSON.parse(process.argv[2]) as {
    accounts: number;
    btcShare: number;
    ticks: number;
  };
  const u = universe(BINANCE_SIZE);
  const params = riskParamsFromReference(u.reference);
  const snapshot = new PriceSnapshot((s) => params.assets.has(s));
  let clock = 0;
  const write = (prices: Map<string, ReturnType<typeof dec>>) => {
    const at = new Date(++clock);
    return snapshot
      .write([...prices].map(([symbol, price]) => ({ symbol, price, updatedAt: at })))
      .map((p) => p.symbol);
  };
  write(u.prices);
  const book = new RiskBook(params);
  book.setPrices(snapshot, u.prices.keys());
  const btcKeys = ['BTC', ...(u.symbolsOf.get('BTC') ?? [])];
  const fp = book.params;
  const moved = new Uint8Array(fp.assetNames.length + fp.symbolNames.length);
  moved[fp.assetIds.get('BTC') as number] = 1;
  for (const s of u.symbolsOf.get('BTC') ?? [])
    moved[fp.assetNames.length + (fp.symbolIds.get(s) as number)] = 1;
  const floorPrices = new Float64Array(moved.length);
  for (const [symbol, price] of u.prices) {
    const asset = fp.assetIds.get(symbol);
    floorPrices[asset ?? fp.assetNames.length + (fp.symbolIds.get(symbol) as number)] = price.toNumber();
  }
  const floor = new Floor(fp, floorPrices, moved);

  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const next = accountGenerator(u, 7, btcShare);
  // The generator's pools of amounts are made on first use: not the book's memory.
  for (let n = 0; n < 3000; n++) next();
  gc();
  const before = process.memoryUsage();
  const buildStart = performance.now();
  for (let n = 0; n < accounts; n++) book.upsertAccount(String(n + 1), 1, next());
  book.drainSome(Number.MAX_SAFE_INTEGER);
  const buildMs = performance.now() - buildStart;
  gc();
  const after = process.memoryUsage();
  const floorAccounts = accountGenerator(u, 7, btcShare);
  for (let n = 0; n < 3000; n++) floorAccounts();
  for (let n = 0; n < accounts; n++) floor.add(floorAccounts());
  floor.pack();

  const drain = new Drain(book);
  const bookTimes: number[] = [];
  const floorTimes: number[] = [];
  let exposed = 0;
  const exactBefore = book.stats.exact;
  let transitions = 0;
  book.onDecision((d) => void (d.previous !== d.status && transitions++));
  const base = new Map(btcKeys.map((k) => [k, u.prices.get(k) as ReturnType<typeof dec>]));
  for (let t = 0; t <= ticks; t++) {
    const factor = dec(t % 2 === 0 ? '0.98' : '1');
    const prices = new Map([...base].map(([k, p]) => [k, p.times(factor)]));
    const changed = write(prices);
    const start = performance.now();
    exposed = book.setPrices(snapshot, changed);
    await drain.idle();
    const took = performance.now() - start;
    for (const [k, p] of prices)
      floorPrices[
        moved.length && (fp.assetIds.get(k) ?? fp.assetNames.length + (fp.symbolIds.get(k) as number))
      ] = p.toNumber();
    const floorStart = performance.now();
    blackhole.value = floor.tick();
    const floorTook = performance.now() - floorStart;
    if (t > 0) {
      bookTimes.push(took);
      floorTimes.push(floorTook);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const result: ChildResult = {
    accounts,
    exposed,
    floorAccounts: floor.size,
    tickMs: median(bookTimes),
    floorMs: median(floorTimes),
    buildMs,
    heapBytesPerAccount: (after.heapUsed - before.heapUsed) / accounts,
    arrayBytesPerAccount: (after.arrayBuffers - before.arrayBuffers) / accounts,
    exactPerTick: (book.stats.exact - exactBefore) / (ticks + 1),
    transitionsPerTick: transitions / (ticks + 1),
    longestSliceMs: drain.stats.longestSliceMs,
  };
  drain.stop();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exitCode = 1;
});
