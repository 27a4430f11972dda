import 'reflect-metadata';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { TokenService } from '../src/auth/tokens';
import { createScratchDatabase } from '../src/db/scratch-database';
import { JWT_SECRET, post, startChild, stopChild, type ServerChild } from './api-server';
import { seedAccounts } from './dashboard.bench';
import { quantile, type BenchRow, type BenchSuite } from './lib';

const GOAL_MS = 1000;
const ASSET_FIELDS =
  'symbol precision collateralTiers { floor cap rate } loanMMR marginLeverage hourlyInterestRate borrowLimit';
const UPSERT_ASSET = `mutation($input: AssetInput!) { upsertAsset(input: $input) { symbol } }`;
const SET_BANDS = `mutation($input: RiskParametersInput!) { setRiskParameters(input: $input) { bands { status } } }`;
const MARGIN_RATIO = 'subscription { marginRatio { risk { uniMMR status } } }';

interface AssetInput {
  symbol: string;
  collateralTiers: { floor: string; cap: string | null; rate: string }[];
  [field: string]: unknown;
}
type Band = { status: string; above: string | null };

/** One instance of the deployment: src/main.ts on the shared database and Redis, under one channel prefix. */
function instance(databaseUrl: string, redisUrl: string, prefix: string): Promise<ServerChild> {
  return startChild('src/main.ts', {
    PORT: '0',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    JWT_SECRET,
    PRICE_FEED: 'none',
    SEED_DEMO: 'false',
    INTEREST_ACCRUAL: 'off',
  });
}

async function gql<T>(url: string, token: string | null, query: string, variables = {}): Promise<T> {
  const res = await post(url, token, { query, variables });
  const body = JSON.parse(res.body) as { data: T; errors?: unknown };
  if (body.errors) throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** A marginRatio subscriber whose next change (uniMMR or status unlike the last seen) can be awaited. */
function riskWatcher(wsUrl: string, token: string) {
  const client = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  let last: string | null = null;
  let waiter: { seen: string | null; resolve: (atMs: number) => void; reject: (e: Error) => void } | null =
    null;
  let failure: Error | null = null;
  let first: () => void = () => undefined;
  const subscribed = new Promise<void>((resolve) => (first = resolve));
  const stop = client.subscribe<{ marginRatio: { risk: unknown } }>(
    { query: MARGIN_RATIO },
    {
      next: ({ data }) => {
        const at = performance.now();
        last = JSON.stringify(data?.marginRatio.risk);
        first();
        if (waiter && last !== waiter.seen) waiter.resolve(at);
      },
      error: (error) => {
        failure = new Error(`marginRatio subscription failed: ${JSON.stringify(error)}`);
        waiter?.reject(failure);
      },
      complete: () => undefined,
    },
  );
  return {
    subscribed,
    /** The arrival time of the first event that differs from what was seen when this was called. */
    nextChange: () =>
      new Promise<number>((resolve, reject) =>
        failure ? reject(failure) : (waiter = { seen: last, resolve, reject }),
      ),
    async close() {
      stop();
      await client.dispose();
    },
  };
}

/** Asks B for its catalogue version, request after request, until it passes `version`; the time it did. */
async function untilVersionAbove(url: string, version: number): Promise<number> {
  for (;;) {
    const { catalogVersion } = await gql<{ catalogVersion: number }>(url, null, '{ catalogVersion }');
    if (catalogVersion > version) return performance.now();
  }
}

interface Round {
  versionMs: number;
  riskMs: number;
}

const summary = (ms: number[]) =>
  `p50 ${quantile(ms, 0.5).toFixed(0)} ms, p99 ${quantile(ms, 0.99).toFixed(0)} ms`;

function rows(change: string, rounds: Round[]): BenchRow[] {
  const row = (seen: string, ms: number[]): BenchRow => ({
    case: `${change} on instance A -> ${seen} (${rounds.length} changes)`,
    baseline: 'goal (ratio = p99 / goal)',
    opsPerSec: 0,
    baselineOpsPerSec: 0,
    shown: {
      value: summary(ms),
      baselineValue: `${GOAL_MS} ms`,
      ratio: (quantile(ms, 0.99) / GOAL_MS).toPrecision(3),
    },
    note: `max ${Math.max(...ms).toFixed(0)} ms`,
  });
  return [
    row(
      'B serves the new catalogVersion',
      rounds.map((r) => r.versionMs),
    ),
    row(
      'marginRatio subscriber on B gets the re-evaluated risk',
      rounds.map((r) => r.riskMs),
    ),
  ];
}

/**
 * Issue 12: how long a catalogue or risk-parameter change made on one instance takes to reach another. Two
 * server processes share a MariaDB database and Redis; an operator changes BTC's first collateral tier rate
 * (`upsertAsset`) or the NORMAL band's edge (`setRiskParameters`) on A, alternately one way and back; the
 * clock runs from sending the mutation until B answers the new `catalogVersion` (asked request after
 * request) and until a `marginRatio` subscriber of B receives the account's new uniMMR or status.
 */
export const propagationSuite: BenchSuite = {
  name: 'parameter propagation (MySQL + Redis)',
  async run({ smoke }) {
    const serverUrl = process.env.DATABASE_URL;
    const redisUrl = process.env.REDIS_URL;
    if (!serverUrl || !redisUrl) {
      process.stderr.write('bench: propagation needs DATABASE_URL and REDIS_URL (skipped)\n');
      return [];
    }
    const changes = smoke ? 2 : 40;
    const db = await createScratchDatabase(serverUrl, 'pm_bench');
    const prefix = `bench-propagation-${process.pid}`;
    const servers: ServerChild[] = [];
    try {
      servers.push(await instance(db.url, redisUrl, prefix));
      servers.push(await instance(db.url, redisUrl, prefix));
      const [a, b] = servers;
      const tokens = new TokenService(JWT_SECRET);
      const op = await tokens.sign({ role: 'operator', sub: 'bench' });
      const [user] = await seedAccounts(a.url, tokens, 1);
      const { assets } = await gql<{ assets: AssetInput[] }>(a.url, null, `{ assets { ${ASSET_FIELDS} } }`);
      const btc = assets.find((asset) => asset.symbol === 'BTC')!;
      const { riskBands } = await gql<{ riskBands: Band[] }>(a.url, null, '{ riskBands { status above } }');
      const watcher = riskWatcher(b.url.replace(/^http/, 'ws'), user);
      await watcher.subscribed;

      const rateFor = (i: number) =>
        (Number(btc.collateralTiers[0].rate) - (i % 2 === 0 ? 0.01 : 0)).toString();
      // Above every uniMMR of the account: NORMAL becomes MARGIN_CALL, then back.
      const bandsFor = (i: number) =>
        riskBands.map((band) =>
          band.status === 'NORMAL' && i % 2 === 0 ? { ...band, above: '1000000' } : band,
        );
      const measureChange = async (send: () => Promise<unknown>): Promise<Round> => {
        const { catalogVersion } = await gql<{ catalogVersion: number }>(b.url, null, '{ catalogVersion }');
        const riskSeen = watcher.nextChange();
        const sent = performance.now();
        const [versionAt, riskAt] = await Promise.all([
          untilVersionAbove(b.url, catalogVersion),
          riskSeen,
          send(),
        ]);
        return { versionMs: versionAt - sent, riskMs: riskAt - sent };
      };

      const assetRounds: Round[] = [];
      const bandRounds: Round[] = [];
      for (let i = 0; i < changes; i++) {
        const tiers = btc.collateralTiers.map((tier, k) => (k === 0 ? { ...tier, rate: rateFor(i) } : tier));
        assetRounds.push(
          await measureChange(() =>
            gql(a.url, op, UPSERT_ASSET, { input: { ...btc, collateralTiers: tiers } }),
          ),
        );
        bandRounds.push(
          await measureChange(() => gql(a.url, op, SET_BANDS, { input: { bands: bandsFor(i) } })),
        );
      }
      await watcher.close();
      return [
        ...rows('upsertAsset (BTC collateral tier rate)', assetRounds),
        ...rows('setRiskParameters (NORMAL band edge)', bandRounds),
      ];
    } finally {
      await Promise.all(servers.map(stopChild));
      await db.drop();
    }
  },
};
