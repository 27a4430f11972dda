import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context';
import { AFTER_DESCRIPTION, FIRST_DESCRIPTION, pageSize } from '../lib/pagination';
import { Account } from '../schema/account.types';
import { WalletType } from '../schema/enums';
import { LedgerConnection, TransferConnection } from '../schema/money.types';

/** The account's audit trail, newest first, with opaque cursors. */
@Resolver(() => Account)
export class AccountHistoryResolver {
  @FieldResolver(() => TransferConnection, {
    description: 'Transfers between the own wallets, newest first.',
  })
  async transfers(
    @Root() account: Account,
    @Arg('first', () => Int, { defaultValue: 20, nullable: true, description: FIRST_DESCRIPTION })
    first: number,
    @Arg('after', () => String, {
      nullable: true,
      description: AFTER_DESCRIPTION,
    })
    after: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<TransferConnection> {
    const page = await ctx.services.history.transfers(account.id, pageSize(first), after ?? null);
    return {
      nodes: page.nodes.map((t) => ({ ...t, from: t.from as WalletType, to: t.to as WalletType })),
      pageInfo: page.pageInfo,
    };
  }

  @FieldResolver(() => LedgerConnection, {
    description:
      "Ledger entries of the account's wallets and their EXTERNAL counterparts, newest first, optionally of one asset.",
  })
  async ledger(
    @Root() account: Account,
    @Arg('first', () => Int, { defaultValue: 50, nullable: true, description: FIRST_DESCRIPTION })
    first: number,
    @Arg('after', () => String, {
      nullable: true,
      description: AFTER_DESCRIPTION,
    })
    after: string | null,
    @Arg('asset', () => String, { nullable: true, description: 'Only entries of this asset.' })
    asset: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<LedgerConnection> {
    if (asset) ctx.services.catalog.asset(asset);
    return ctx.services.history.ledger(account.id, pageSize(first), after ?? null, asset ?? null);
  }
}
