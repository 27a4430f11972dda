import { Arg, ID, Int, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { RequestContext } from '../context';
import { assertCanRead, requireViewer } from '../auth/viewer';
import { badInput } from '../errors';
import type { RiskSnapshot, StatusChange, WalletsChanged } from '../services/risk-push/risk-push.service';
import { RiskStatus } from '../schema/enums';
import { RiskStatusChange, RiskUpdate, WalletUpdate } from '../schema/risk.types';
import { riskView } from './risk-view';
import type { Wallet } from '../schema/account.types';
import { parseRowId } from '../lib/row-id';

type SubscribeData = SubscribeResolverData<
  unknown,
  { accountId?: string | null; minIntervalMs?: number | null },
  RequestContext
>;

const MAX_INTERVAL_MS = 3_600_000;

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

const toRiskUpdate = (s: RiskSnapshot): RiskUpdate => ({
  accountId: s.accountId,
  risk: riskView(s.result, s.portfolio, s.book, s.at),
});

/** Live pushes over graphql-ws (spec section 5). */
@Resolver()
export class LiveResolver {
  @Subscription(() => RiskUpdate, {
    description:
      'First the current risk, then every change (price moves, balances, positions), coalesced per account: ' +
      'at most one event per minIntervalMs, the latest value always delivered, a status change never skipped.',
    subscribe: (data: SubscribeData) => {
      const interval = data.args.minIntervalMs ?? 0;
      if (!Number.isInteger(interval) || interval < 0 || interval > MAX_INTERVAL_MS) {
        throw badInput(`minIntervalMs must be an integer from 0 to ${MAX_INTERVAL_MS}`, 'minIntervalMs');
      }
      return data.context.services.riskPush.subscribeRisk(watchedAccount(data), interval);
    },
  })
  marginRatio(
    @Root() snapshot: RiskSnapshot,
    @Arg('accountId', () => ID, {
      nullable: true,
      description: 'The account to watch: required for operators, defaults to the own account.',
    })
    _accountId: string | null,
    @Arg('minIntervalMs', () => Int, {
      nullable: true,
      defaultValue: 0,
      description:
        'At most one event per this many milliseconds for this subscriber (0-3,600,000); the latest value and every status change are still delivered.',
    })
    _minIntervalMs: number,
  ): RiskUpdate {
    return toRiskUpdate(snapshot);
  }

  @Subscription(() => RiskStatusChange, {
    description: "Every change of the account's risk status (from, to), with the risk at that moment.",
    subscribe: (data: SubscribeData) => data.context.services.riskPush.subscribeStatus(watchedAccount(data)),
  })
  riskStatusChanged(
    @Root() change: StatusChange,
    @Arg('accountId', () => ID, {
      nullable: true,
      description: 'The account to watch: defaults to the own account.',
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
    @Arg('accountId', () => ID, { nullable: true }) _accountId: string | null,
  ): RiskUpdate {
    return toRiskUpdate(snapshot);
  }

  @Subscription(() => WalletUpdate, {
    description: 'Each wallet of the account whose balances a committed operation changed.',
    subscribe: async (data: SubscribeData) => {
      const ctx = data.context;
      const stream = await ctx.services.riskPush.subscribeWallets(watchedAccount(data));
      return flatten(stream);
    },
  })
  walletUpdated(
    @Root() update: { accountId: string; wallet: Wallet },
    @Arg('accountId', () => ID, {
      nullable: true,
      description: 'The account to watch: required for operators, defaults to the own account.',
    })
    _accountId: string | null,
  ): WalletUpdate {
    return update;
  }
}

/** One event per changed wallet; returning the result returns the source. */
async function* flatten(
  source: AsyncIterableIterator<WalletsChanged>,
): AsyncGenerator<{ accountId: string; wallet: Wallet }> {
  try {
    for await (const change of source)
      for (const wallet of change.wallets) yield { accountId: change.accountId, wallet: wallet as Wallet };
  } finally {
    await source.return?.();
  }
}
