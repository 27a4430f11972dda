import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context';
import type { AccountEntity } from '../entities';
import { assertCanRead, ownAccountId, requireOperator } from '../auth/viewer';
import { notFound } from '../errors';
import { AFTER_DESCRIPTION, FIRST_DESCRIPTION, pageSize } from '../lib/pagination';
import { Account, Wallet } from '../schema/account.types';
import { AccountMode, WalletType } from '../schema/enums';
import { AccountConnection } from '../schema/money.types';
import { parseRowId } from '../lib/row-id';
import { DecimalScalar } from '../schema/scalars';
import type { Decimal } from '../lib/decimal';

export const toAccount = (a: AccountEntity): Account => ({
  id: a.id,
  vipLevel: a.vipLevel,
  mode: a.mode as AccountMode,
});

@Resolver(() => Account)
export class AccountResolver {
  @Query(() => Account, { description: 'The authenticated account.' })
  async me(@Ctx() ctx: RequestContext): Promise<Account> {
    const current = await ctx.loaders.load(ownAccountId(ctx.auth));
    if (!current) throw notFound('Account');
    return toAccount(current.account);
  }

  @Query(() => Account, {
    nullable: true,
    description: 'Any account for an operator; the own account for a user; otherwise FORBIDDEN.',
  })
  async account(
    @Arg('id', () => ID, { description: 'The account id.' }) id: string,
    @Ctx() ctx: RequestContext,
  ): Promise<Account | null> {
    assertCanRead(ctx.auth, parseRowId(id, 'id'));
    const current = await ctx.loaders.load(id);
    return current ? toAccount(current.account) : null;
  }

  @Query(() => AccountConnection, { description: 'Operator only: accounts page by page, oldest first.' })
  async accounts(
    @Arg('first', () => Int, { defaultValue: 50, nullable: true, description: FIRST_DESCRIPTION })
    first: number,
    @Arg('after', () => String, {
      nullable: true,
      description: AFTER_DESCRIPTION,
    })
    after: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<AccountConnection> {
    requireOperator(ctx.auth);
    const page = await ctx.services.accounts.page(pageSize(first), after ?? null);
    return { nodes: page.nodes.map(toAccount), pageInfo: page.pageInfo };
  }

  @FieldResolver(() => [Wallet], { description: "The wallets of the account's mode." })
  async wallets(@Root() account: Account, @Ctx() ctx: RequestContext): Promise<Wallet[]> {
    const { account: row, state } = (await ctx.loaders.load(account.id))!;
    return ctx.services.readModel.derived(state, 'wallets', () =>
      ctx.services.accounts.wallets(row, state.balances),
    ) as Wallet[];
  }

  @FieldResolver(() => Wallet, {
    nullable: true,
    description: "null when the account's mode has no such wallet.",
  })
  async wallet(
    @Root() account: Account,
    @Arg('type', () => WalletType, { description: 'Which wallet.' }) type: WalletType,
    @Ctx() ctx: RequestContext,
  ): Promise<Wallet | null> {
    const { account: row, state } = (await ctx.loaders.load(account.id))!;
    const [wallet] = ctx.services.readModel.derived(state, `wallet:${type}`, () =>
      ctx.services.accounts.wallets(row, state.balances, type),
    );
    return (wallet as Wallet | undefined) ?? null;
  }

  @FieldResolver(() => DecimalScalar, {
    nullable: true,
    description: 'The uniMMR at or below which marginCallAlert fires; null when unset.',
  })
  async marginCallLevel(@Root() account: Account, @Ctx() ctx: RequestContext): Promise<Decimal | null> {
    return (await ctx.loaders.load(account.id))?.account.marginCallLevel ?? null;
  }

  @Mutation(() => Account, {
    description: "The own account's margin-call level: null clears; otherwise 1.1 to 2.0.",
  })
  async setMarginCallLevel(
    @Arg('level', () => DecimalScalar, { nullable: true, description: 'uniMMR, 1.1 to 2.0; null clears.' })
    level: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Account> {
    const account = await ctx.services.marginCalls.setLevel(ownAccountId(ctx.auth), level ?? null);
    ctx.loaders.clear(account.id);
    return toAccount(account);
  }
}
