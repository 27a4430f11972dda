import { Arg, Args, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../context';
import { requireOperator } from '../auth/viewer';
import { balanceView, type BalanceFields } from '../services/accounts/wallets';
import { Account, Balance, Position } from '../schema/account.types';
import { FillInput, FundingArgs } from '../schema/inputs';
import { toAccount } from './account.resolver';
import { positionView } from './risk-view';

/** The exchange's own systems: accounts, funding, fills from the trading engine, interest. */
@Resolver()
export class OperatorResolver {
  @Mutation(() => Account, { description: 'Operator only. Creates an account (CLASSIC).' })
  async createAccount(
    @Arg('vipLevel', () => Int, { defaultValue: 0, nullable: true, description: 'VIP level 0-9.' })
    vipLevel: number,
    @Ctx() ctx: RequestContext,
  ): Promise<Account> {
    requireOperator(ctx.auth);
    return toAccount(await ctx.services.accountAdmin.create(vipLevel));
  }

  @Mutation(() => Account, { description: 'Operator only.' })
  async setVipLevel(
    @Arg('accountId', () => ID, { description: 'The account to change.' }) accountId: string,
    @Arg('vipLevel', () => Int, { description: 'VIP level 0-9.' }) vipLevel: number,
    @Ctx() ctx: RequestContext,
  ): Promise<Account> {
    requireOperator(ctx.auth);
    return toAccount(await ctx.services.accountAdmin.setVipLevel(accountId, vipLevel));
  }

  @Mutation(() => Balance, {
    description: 'Operator only: funds arriving from outside, into SPOT. Returns the SPOT balance after.',
  })
  async deposit(
    @Args(() => FundingArgs) { accountId, ...input }: FundingArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<Balance> {
    requireOperator(ctx.auth);
    return this.balance(ctx, await ctx.services.funding.deposit(accountId, input));
  }

  @Mutation(() => Balance, {
    description: 'Operator only: funds leaving to outside, from SPOT. Returns the SPOT balance after.',
  })
  async withdraw(
    @Args(() => FundingArgs) { accountId, ...input }: FundingArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<Balance> {
    requireOperator(ctx.auth);
    return this.balance(ctx, await ctx.services.funding.withdraw(accountId, input));
  }

  @Mutation(() => Position, {
    description:
      'Operator only: a fill from the trading engine, idempotent by fillId per account, journaled. It books whenever its own input is valid, whatever prices are known (REDUCE_ONLY refuses only a known status). Returns the position after (quantity 0 when closed); without a mark price, markPrice is the fill price and the other fields are computed at it.',
  })
  async applyFill(
    @Arg('input', () => FillInput, { description: 'The fill as the trading engine reports it.' })
    input: FillInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Position> {
    requireOperator(ctx.auth);
    return positionView(await ctx.services.fills.applyFill(input));
  }

  @Mutation(() => Int, {
    description: 'Operator only: accrue loan interest up to now. Returns how many loans were charged.',
  })
  accrueInterest(@Ctx() ctx: RequestContext): Promise<number> {
    requireOperator(ctx.auth);
    return ctx.services.interest.accrue();
  }

  private balance(ctx: RequestContext, b: BalanceFields): Balance {
    return balanceView(b, ctx.services.prices.get(b.asset)?.price);
  }
}
