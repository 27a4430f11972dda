import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context';
import { AFTER_DESCRIPTION, FIRST_DESCRIPTION, pageSize } from '../lib/pagination';
import { Account } from '../schema/account.types';
import { InterestConnection } from '../schema/interest.types';

/** The account's interest charges (spec section 4, interest by time owed). */
@Resolver(() => Account)
export class AccountInterestResolver {
  @FieldResolver(() => InterestConnection, {
    description: 'Interest charged, newest first, optionally of one asset.',
  })
  async interestHistory(
    @Root() account: Account,
    @Arg('asset', () => String, { nullable: true, description: 'Only charges of this asset.' })
    asset: string | null,
    @Arg('first', () => Int, { defaultValue: 50, nullable: true, description: FIRST_DESCRIPTION })
    first: number,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<InterestConnection> {
    if (asset) ctx.services.catalog.asset(asset);
    const page = await ctx.services.history.interest(
      account.id,
      pageSize(first),
      after ?? null,
      asset ?? null,
    );
    return {
      nodes: page.nodes.map((c) => ({
        id: c.id,
        asset: c.asset,
        principal: c.principal,
        interest: c.interest,
        from: c.periodStart,
        to: c.periodEnd,
      })),
      pageInfo: page.pageInfo,
    };
  }
}
