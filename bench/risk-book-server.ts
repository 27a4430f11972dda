import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import { startApp } from '../src/app';
import { loadConfig } from '../src/config';
import { openDataSource } from '../src/db/data-source';
import { seedReference } from '../src/db/seed';
import { dec } from '../src/lib/decimal';
import { JWT_SECRET } from './api-server';
import { accountGenerator, BINANCE_SIZE, universe, universeReference } from './universe';

/**
 * The API server holding a risk book of BENCH_ACCOUNTS synthetic accounts (all holding BTC) of a Binance-sized
 * universe, in its own process: the catalogue is the universe (seeded into an in-memory SQLite database), the
 * accounts go straight into the book. Prints `ready at <url>`; then each `tick` line on stdin moves BTC and every
 * mark based on it by 2% (alternately down and up) through the price service, and prints
 * `tick <ms>` once the book has decided every exposed account.
 */
async function main(): Promise<void> {
  const accounts = Number(process.env.BENCH_ACCOUNTS);
  const u = universe(BINANCE_SIZE);
  const ds = await openDataSource({ databaseUrl: null, sqliteFile: ':memory:' });
  // The universe's catalogue, with the default quiz and wallet rules.
  await seedReference(ds, universeReference(u));
  const config = {
    ...loadConfig({
      ...process.env,
      JWT_SECRET,
      PRICE_FEED: 'none',
      SEED_DEMO: 'false',
      INTEREST_ACCRUAL: 'off',
      DATABASE_URL: '',
      REDIS_URL: '',
      // The accounts exist only in this book, and building a large one blocks the event loop for longer than
      // a lease's ttl: a lost shard would drop them all. No other instance competes here.
      RISK_LEASE_TTL_MS: String(24 * 3600 * 1000),
    }),
    port: 0,
  };
  const app = await startApp(config, { dataSource: ds });
  const { prices, riskBook } = app.services;
  let clock = Date.now();
  const publish = (points: [string, string][]) =>
    prices.publish(
      points.map(([symbol, price]) => ({ symbol, price: dec(price), updatedAt: new Date(++clock) })),
    );
  await publish([...u.prices].map(([s, p]) => [s, p.toFixed()]));
  await riskBook.idle();
  const next = accountGenerator(u, 7, new Map([['BTC', 1]]));
  for (let n = 0; n < accounts; n++) riskBook.book.upsertAccount(String(1_000_000_000 + n), 1, next());
  await riskBook.idle();
  process.stdout.write(`ready at ${app.server.url}\n`);

  const btc = ['BTC', ...(u.symbolsOf.get('BTC') ?? [])];
  let down = true;
  for await (const line of readline.createInterface({ input: process.stdin })) {
    if (line.trim() !== 'tick') continue;
    const factor = dec(down ? '0.98' : '1');
    down = !down;
    const start = performance.now();
    // The book hears of a batch on a later turn of the event loop (its listener runs before this one).
    const heard = new Promise<void>((resolve) => {
      const off = prices.onChange(() => {
        off();
        resolve();
      });
    });
    await publish(btc.map((k) => [k, u.prices.get(k)!.times(factor).toFixed()]));
    await heard;
    await riskBook.idle();
    process.stdout.write(`tick ${(performance.now() - start).toFixed(1)}\n`);
  }
  await app.stop();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exitCode = 1;
});
