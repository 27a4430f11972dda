import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { TokenService } from './auth/tokens';
import type { Config } from './config';
import { systemClock, type Clock } from './lib/clock';
import type { AppServices } from './context';
import { openDataSource } from './db/data-source';
import { findDemoAccounts, seedDemoAccounts, type DemoAccount } from './db/demo';
import { seedReference } from './db/seed';
import { createEventBus } from './pubsub';
import { referenceData } from './reference';
import { buildAppSchema } from './schema/build';
import { startServer, type RunningServer } from './server/server';
import { demoRoute } from './server/web-routes';
import { AccountService } from './services/accounts/account.service';
import { AccountReadModel } from './services/read-model/read-model';
import { ApiKeyService } from './services/api-keys/api-key.service';
import { Catalog } from './services/catalog/catalog';
import { CatalogAdminService } from './services/catalog/catalog-admin.service';
import { CatalogSync } from './services/catalog/catalog-sync';
import { PriceService } from './services/prices/price.service';
import { SimulatedFeed } from './services/prices/simulated-feed';
import { AccountAdminService } from './services/accounts/account-admin.service';
import { HistoryService } from './services/accounts/history.service';
import { ActivationService } from './services/money/activation.service';
import { DeactivationService } from './services/money/deactivation.service';
import { FillService } from './services/money/fill.service';
import { FundingService } from './services/money/funding.service';
import { InterestService } from './services/money/interest.service';
import { InterestScheduler } from './services/money/interest-scheduler';
import { openLeaseStore } from './services/lease';
import { LoanService } from './services/money/loan.service';
import { TransferService } from './services/money/transfer.service';
import { RiskService } from './services/risk/risk.service';
import { countLive } from './observability/metrics';
import { RiskPushService } from './services/risk-push/risk-push.service';
import { LiveRiskBook } from './services/risk-book/live-book';
import { StatusAnnouncer } from './services/risk-book/status-announcer';
import { AtRiskAccounts } from './services/risk-book/at-risk';
import { StatusFeed } from './services/risk-push/status-feed';
import { MarginCallService } from './services/accounts/margin-call.service';
import { WalletFeed } from './services/accounts/wallet-feed';
import { LedgerTail } from './services/ledger/ledger-tail';
import type { ChangeLog } from './services/events/change-log';
import { DatabaseChangeLog } from './services/events/database-change-log';
import { ShardFeeds } from './services/risk-book/shard-feeds';
import { ShardOwnership } from './services/risk-book/shard-ownership';
import { RedisChangeLog } from './services/events/redis-change-log';
import { OutboxRelay } from './services/events/relay';
import { countRiskStatus } from './observability/metrics';

export interface App {
  services: AppServices;
  server: RunningServer;
  /** The database's demo accounts (made by this or an earlier start on an empty database), or none. */
  demoAccounts: DemoAccount[];
  stop(): Promise<void>;
}

export interface AppOptions {
  /** Overrides the database file, e.g. ':memory:' in tests. */
  sqliteFile?: string;
  /** Use this already-open DataSource (tests); the app then leaves closing it to the caller. */
  dataSource?: DataSource;
  /** The time of interest and leases (tests inject a ManualClock); default the system clock. */
  clock?: Clock;
}

/** Opens the database, seeds it, wires the services and starts HTTP + WebSocket on config.port. */
export async function startApp(config: Config, options: AppOptions = {}): Promise<App> {
  const ds =
    options.dataSource ??
    (await openDataSource({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      sqliteFile: options.sqliteFile,
      acquireTimeoutMs: config.dbAcquireTimeoutMs,
    }));
  await seedReference(ds, referenceData);
  const clock = options.clock ?? systemClock;

  const bus = await createEventBus(config.redisUrl, config.redisPrefix);
  const localBus = await createEventBus(null);
  // With Redis, the outbox is relayed into a Redis Stream per shard; without, the outbox table is the log.
  const changeLog: ChangeLog = config.redisUrl
    ? await RedisChangeLog.open(config.redisUrl, config.redisPrefix)
    : new DatabaseChangeLog(ds, config.riskShards);
  const outboxRelay = config.redisUrl ? new OutboxRelay(ds, changeLog, config.riskShards) : null;
  const catalog = await Catalog.load(ds);
  const prices = new PriceService(ds, catalog, bus, localBus);
  await prices.load();
  const unfollow = config.redisUrl ? await prices.follow(config.maxPricesPerCall) : () => undefined;
  const risk = new RiskService(catalog, prices);
  const readModel = new AccountReadModel(ds, prices.snapshot, catalog, config.readModelAccounts);
  const accounts = new AccountService(ds, catalog, prices, readModel);
  const leases = await openLeaseStore({
    ds,
    redisUrl: config.redisUrl,
    redisPrefix: config.redisPrefix,
    clock,
  });
  const interest = new InterestService(ds, bus, catalog, clock, config.interestAccrualBatch);
  const accrual = config.interestAccrual
    ? new InterestScheduler(interest, leases, config.interestAccrualIntervalMs)
    : null;
  // Every PM account of the shards this instance owns in the risk book, each shard fed by its account stream.
  const riskBook = new LiveRiskBook(ds, catalog, prices);
  let feeds: ShardFeeds | null = null;
  const ownership = new ShardOwnership(leases, config.riskShards, config.riskLeaseTtlMs, (shard, owned) =>
    feeds?.ownershipChanged(shard, owned),
  );
  feeds = new ShardFeeds(changeLog, riskBook, ownership);
  riskBook.setOwnership((accountId) => ownership.owns(accountId));
  const announcer = new StatusAnnouncer(ds, bus, riskBook, (accountId) => ownership.owns(accountId));
  announcer.start();
  riskBook.start();
  await ownership.start();
  await feeds.start();
  const atRisk = new AtRiskAccounts(ds, bus, riskBook, ownership, risk);
  atRisk.start();
  const riskPush = new RiskPushService(ds, risk, bus, riskBook);
  const ledgerTail = new LedgerTail(ds, bus);
  const marginCalls = new MarginCallService(ds, bus, riskBook);
  await marginCalls.start();
  const services: AppServices = {
    config,
    ds,
    bus,
    localBus,
    changeLog,
    outboxRelay,
    catalog,
    catalogAdmin: new CatalogAdminService(ds, bus, catalog),
    prices,
    accounts,
    readModel,
    apiKeys: new ApiKeyService(ds, Date.now, bus),
    tokens: new TokenService(config.jwtSecret, config.tokenRules),
    risk,
    history: new HistoryService(ds),
    accountAdmin: new AccountAdminService(ds, bus),
    activation: new ActivationService(ds, bus, catalog, risk),
    deactivation: new DeactivationService(ds, bus),
    transfers: new TransferService(ds, bus, catalog, risk),
    loans: new LoanService(ds, bus, catalog, risk, clock),
    funding: new FundingService(ds, bus, catalog),
    fills: new FillService(ds, bus, catalog, risk),
    interest,
    interestAccrual: accrual,
    leases,
    riskPush,
    statusFeed: new StatusFeed(ds, bus, risk),
    statusAnnouncer: announcer,
    atRisk,
    riskBook,
    ownership,
    shardFeeds: feeds,
    marginCalls,
    ledgerTail,
    walletFeed: new WalletFeed(ds, accounts, ledgerTail),
  };
  riskPush.start();
  const uncountStatus = countRiskStatus(() => ({
    announced: announcer.announced,
    feeds: services.statusFeed.open,
  }));
  const uncountLive = countLive(() => ({
    busListeners: bus.listeners.total,
    localBusListeners: localBus.listeners.total,
    watchedAccounts: riskPush.watchedAccounts,
    ledgerFollowers: ledgerTail.followers.total,
  }));
  const catalogSync = new CatalogSync(ds, bus, catalog);
  catalogSync.start();
  outboxRelay?.start();
  if (config.seedDemo) await seedDemoAccounts(services);
  const demoAccounts = config.seedDemo ? await findDemoAccounts(ds) : [];

  const feed =
    config.priceFeed === 'simulated'
      ? new SimulatedFeed(catalog, prices, config.simulatedFeedIntervalMs)
      : null;
  const server = await startServer(services, await buildAppSchema(), config.port, [
    demoRoute(services, demoAccounts),
  ]);
  feed?.start();
  accrual?.start();

  let stopped = false;
  return {
    services,
    server,
    demoAccounts,
    async stop() {
      if (stopped) return;
      stopped = true;
      feed?.stop();
      await accrual?.stop();
      unfollow();
      uncountStatus();
      uncountLive();
      riskPush.stop();
      await marginCalls.stop();
      // Streams end their reads when the log closes (below); the shards are released now for a successor.
      const feedsStopped = feeds.stop();
      await ownership.stop();
      await leases.close();
      atRisk.stop();
      riskBook.stop();
      await announcer.stop();
      await catalogSync.stop();
      await server.stop();
      await ledgerTail.settled();
      await outboxRelay?.stop();
      await changeLog.close();
      await feedsStopped;
      await Promise.all([bus.close(), localBus.close()]);
      if (!options.dataSource) await ds.destroy();
    },
  };
}
