import { Arg, ID, Int, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { RequestContext } from '../context';
import { assertCanRead, requireViewer } from '../auth/viewer';
import { badInput } from '../errors';
import type { RiskSnapshot, StatusChange } from '../services/risk-push/risk-push.service';
import type { LedgerEntryEntity } from '../entities';
import type { WalletUpdateEvent } from '../services/accounts/wallet-feed';
import { parseLedgerCursor } from '../services/ledger/ledger-tail';
import { flatMapStream } from '../lib/async-iterables';
import { oncePer } from '../lib/once-per';
import { LedgerEntry } from '../schema/money.types';
import { RiskStatus } from '../schema/enums';
import { RiskStatusChange, RiskUpdate, WalletUpdate } from '../schema/risk.types';
import { riskView } from './risk-view';
import type { Wallet } from '../schema/account.types';
import { parseRowId } from '../lib/row-id';
import { timedRiskStream } from '../observability/tick-to-push';

type SubscribeData = SubscribeResolverData<
  unknown,
  { accountId?: string | null; minIntervalMs?: number | null; after?: string | null },
  RequestContext
>;

const MAX_INTERVAL_MS = 3_600_000;

/** The `accountId` argument of a subscription that operators must give and users may omit. */
const WatchedAccountArg = () =>
  Arg('accountId', () => ID, {
    nullable: true,
    description: 'The account to watch: required for operators, defaults to the own account.',
  });

/** Users watch their own account (accountId may be omitted); operators name the account. */
function watchedAccount({ args, context }: SubscribeData): string {
  const viewer = requireViewer(context.auth);
  let accountId: string;
  if (args.accountId !== undefined && args.accountId !== null)
    accountId = parseRowId(args.accountId, 'accountId');
  else if (viewer.kind === 'operator') throw badInput('accountId is required for operators', 'accountId');
  else accountId = viewer.accountId;
  assertCanRead(context.auth, accountId);
  return accountId;
}

/** One view per snapshot, however many subscribers of the account receive it. */
const toRiskUpdate = oncePer((s: RiskSnapshot): RiskUpdate => ({
  accountId: s.accountId,
  risk: riskView(s.result, s.portfolio, s.book, s.at),
}));

/** Live pushes over graphql-ws (spec section 5). */
@Resolver()
export class LiveResolver {
  @Subscription(() => RiskUpdate, {
    description:
      'First the current risk, then every change (price moves, balances, positions), coalesced per subscriber: ' +
      'at most one event per minIntervalMs, always the newest value (never a stale one); after a status change ' +
      'the next event goes out as soon as the interval allows. Every transition, in order: riskStatusChanged.',
    subscribe: (data: SubscribeData) => {
      const interval = data.args.minIntervalMs ?? 0;
      if (!Number.isInteger(interval) || interval < 0 || interval > MAX_INTERVAL_MS) {
        throw badInput(`minIntervalMs must be an integer from 0 to ${MAX_INTERVAL_MS}`, 'minIntervalMs');
      }
      const stream = data.context.services.riskPush.subscribeRisk(watchedAccount(data), interval);
      return stream.then((events) => timedRiskStream(events));
    },
  })
  marginRatio(
    @Root() snapshot: RiskSnapshot,
    @WatchedAccountArg()
    _accountId: string | null,
    @Arg('minIntervalMs', () => Int, {
      nullable: true,
      defaultValue: 0,
      description:
        'At most one event per this many milliseconds for this subscriber (0-3,600,000); the newest value is delivered at the end of the interval.',
    })
    _minIntervalMs: number,
  ): RiskUpdate {
    return toRiskUpdate(snapshot);
  }

  @Subscription(() => RiskStatusChange, {
    description:
      "Every change of the account's risk status (from, to), with the risk it was decided on, at once and in " +
      'order, never coalesced. Without accountId, for an operator: every transition of every Portfolio Margin ' +
      'account, watched or not (the liquidation and alert feed). A subscriber more than 64 transitions behind ' +
      'is ended with SLOW_SUBSCRIBER.',
    subscribe: (data: SubscribeData) => {
      const viewer = requireViewer(data.context.auth);
      const feed = data.context.services.statusFeed;
      if (viewer.kind === 'operator' && (data.args.accountId ?? null) === null) return feed.forAll();
      return feed.forAccount(watchedAccount(data));
    },
  })
  riskStatusChanged(
    @Root() change: StatusChange,
    @Arg('accountId', () => ID, {
      nullable: true,
      description:
        'The account to watch: defaults to the own account; an operator who omits it gets every account.',
    })
    _accountId: string | null,
  ): RiskStatusChange {
    return {
      accountId: change.accountId,
      from: change.from as RiskStatus,
      to: change.to as RiskStatus,
      risk: toRiskUpdate(change.snapshot).risk,
    };
  }

  @Subscription(() => RiskUpdate, {
    description:
      "Fires when uniMMR falls to or below the account's marginCallLevel; again only after it recovered above.",
    subscribe: (data: SubscribeData) => data.context.services.marginCalls.subscribe(watchedAccount(data)),
  })
  marginCallAlert(
    @Root() snapshot: RiskSnapshot,
    @WatchedAccountArg()
    _accountId: string | null,
  ): RiskUpdate {
    return toRiskUpdate(snapshot);
  }

  @Subscription(() => WalletUpdate, {
    description:
      "Each wallet of the account whose balances a committed operation changed. With `after` (a LedgerEntry id), first the wallets changed by the account's later entries, then live; `cursor` tells where the client stands.",
    subscribe: (data: SubscribeData) => {
      const after = parseLedgerCursor(data.args.after);
      return data.context.services.walletFeed.follow(watchedAccount(data), after);
    },
  })
  walletUpdated(
    @Root() update: WalletUpdateEvent,
    @WatchedAccountArg()
    _accountId: string | null,
    @Arg('after', () => String, {
      nullable: true,
      description: 'A LedgerEntry id: first the wallets changed by later entries, then live.',
    })
    _after: string | null,
  ): WalletUpdate {
    return { ...update, wallet: update.wallet as Wallet };
  }

  @Subscription(() => LedgerEntry, {
    description:
      'Ledger entries booked after the cursor (a LedgerEntry id), ascending, then live; reconnect with the last id to miss nothing.',
    subscribe: (data: SubscribeData) => {
      const after = parseLedgerCursor(data.args.after);
      return flatMapStream(data.context.services.ledgerTail.follow(watchedAccount(data), after), (b) => b);
    },
  })
  ledgerEntries(
    @Root() entry: LedgerEntryEntity,
    @WatchedAccountArg()
    _accountId: string | null,
    @Arg('after', () => String, {
      nullable: true,
      description: 'A LedgerEntry id: the entries with a higher id first, ascending, then live.',
    })
    _after: string | null,
  ): LedgerEntry {
    return entry;
  }
}
