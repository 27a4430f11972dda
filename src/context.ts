import type { DataSource } from 'typeorm';
import type { Auth } from './auth/viewer';
import type { TokenService } from './auth/tokens';
import type { Config } from './config';
import type { EventBus } from './pubsub';
import type { AccountLoaders, AccountService } from './services/accounts/account.service';
import type { AccountReadModel } from './services/read-model/read-model';
import type { ApiKeyService } from './services/api-keys/api-key.service';
import type { Catalog } from './services/catalog/catalog';
import type { CatalogAdminService } from './services/catalog/catalog-admin.service';
import type { PriceService } from './services/prices/price.service';
import type { AccountAdminService } from './services/accounts/account-admin.service';
import type { HistoryService } from './services/accounts/history.service';
import type { ActivationService } from './services/money/activation.service';
import type { DeactivationService } from './services/money/deactivation.service';
import type { FillService } from './services/money/fill.service';
import type { FundingService } from './services/money/funding.service';
import type { InterestScheduler } from './services/money/interest-scheduler';
import type { LeaseStore } from './services/lease';
import type { InterestService } from './services/money/interest.service';
import type { LoanService } from './services/money/loan.service';
import type { TransferService } from './services/money/transfer.service';
import type { RiskService } from './services/risk/risk.service';
import type { AtRiskAccounts } from './services/risk-book/at-risk';
import type { StatusAnnouncer } from './services/risk-book/status-announcer';
import type { ShardFeeds } from './services/risk-book/shard-feeds';
import type { ShardOwnership } from './services/risk-book/shard-ownership';
import type { StatusFeed } from './services/risk-push/status-feed';
import type { RiskPushService } from './services/risk-push/risk-push.service';
import type { LiveRiskBook } from './services/risk-book/live-book';
import type { MarginCallService } from './services/accounts/margin-call.service';
import type { WalletFeed } from './services/accounts/wallet-feed';
import type { LedgerTail } from './services/ledger/ledger-tail';
import type { ChangeLog } from './services/events/change-log';
import type { OutboxRelay } from './services/events/relay';

/** Everything the resolvers call, built once at start (src/app.ts). */
export interface AppServices {
  config: Config;
  ds: DataSource;
  bus: EventBus;
  localBus: EventBus;
  /** Account changes per shard (a Redis Stream each when Redis is configured), fed by the outbox relay. */
  changeLog: ChangeLog;
  /** Null without Redis: the outbox table is then the change log itself. */
  outboxRelay: OutboxRelay | null;
  catalog: Catalog;
  catalogAdmin: CatalogAdminService;
  prices: PriceService;
  accounts: AccountService;
  /** Accounts' balances and positions held at their version, proven current on each read (issue 10). */
  readModel: AccountReadModel;
  apiKeys: ApiKeyService;
  tokens: TokenService;
  risk: RiskService;
  history: HistoryService;
  accountAdmin: AccountAdminService;
  activation: ActivationService;
  deactivation: DeactivationService;
  transfers: TransferService;
  loans: LoanService;
  funding: FundingService;
  fills: FillService;
  interest: InterestService;
  /** Null with INTEREST_ACCRUAL=off. */
  interestAccrual: InterestScheduler | null;
  /** This instance as a lease owner (services/lease): single-owner jobs and shards. */
  leases: LeaseStore;
  riskPush: RiskPushService;
  statusFeed: StatusFeed;
  statusAnnouncer: StatusAnnouncer;
  atRisk: AtRiskAccounts;
  /** Every PM account's risk, decided on every price change (issue 9). */
  riskBook: LiveRiskBook;
  ownership: ShardOwnership;
  shardFeeds: ShardFeeds;
  marginCalls: MarginCallService;
  ledgerTail: LedgerTail;
  walletFeed: WalletFeed;
}

export interface RequestContext {
  auth: Auth;
  services: AppServices;
  loaders: AccountLoaders;
}

export function requestContext(services: AppServices, auth: Auth): RequestContext {
  return { auth, services, loaders: services.accounts.loaders() };
}
