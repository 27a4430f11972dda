import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../context';
import { accountForMoneyMovement, requireViewer } from '../auth/viewer';
import { forbidden } from '../errors';
import { Account } from '../schema/account.types';
import { WalletType } from '../schema/enums';
import { LoanInput, QuizAnswerInput, TransferInput } from '../schema/inputs';
import { DeactivationResult, Loan, Transfer } from '../schema/money.types';
import { toAccount } from './account.resolver';

/** The account holder's own money movements (user token, or an API key with the TRANSFER scope). */
@Resolver()
export class MoneyResolver {
  @Mutation(() => Account, {
    description:
      'Spec section 2: eligibility and every quiz answer right, then the wallets merge into PORTFOLIO_MARGIN at once.',
  })
  async activatePortfolioMargin(
    @Arg('answers', () => [QuizAnswerInput], { description: 'One answer per activationQuiz question.' })
    answers: QuizAnswerInput[],
    @Ctx() ctx: RequestContext,
  ): Promise<Account> {
    const viewer = requireViewer(ctx.auth);
    if (viewer.kind !== 'user') throw forbidden('Activation needs the account holder’s own token');
    return toAccount(await ctx.services.activation.activate(viewer.accountId, answers));
  }

  @Mutation(() => Transfer, {
    description:
      "Between the account's own wallets, exactly once per idempotencyKey. Out of PORTFOLIO_MARGIN at most maxWithdraw(asset).",
  })
  async transfer(
    @Arg('input', () => TransferInput, { description: 'Asset, amount, wallets and idempotency key.' })
    input: TransferInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Transfer> {
    const t = await ctx.services.transfers.transfer(accountForMoneyMovement(ctx.auth), input);
    return { ...t, from: t.from as WalletType, to: t.to as WalletType };
  }

  @Mutation(() => Loan, {
    description: 'PM only: a margin loan into PORTFOLIO_MARGIN; the first hour of interest accrues at once.',
  })
  borrow(
    @Arg('input', () => LoanInput, { description: 'Asset, amount and idempotency key.' }) input: LoanInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Loan> {
    return ctx.services.loans.borrow(accountForMoneyMovement(ctx.auth), input);
  }

  @Mutation(() => Loan, {
    description: 'Pays interest first, then principal, from the free balance of PORTFOLIO_MARGIN.',
  })
  repay(
    @Arg('input', () => LoanInput, { description: 'Asset, amount and idempotency key.' }) input: LoanInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Loan> {
    return ctx.services.loans.repay(accountForMoneyMovement(ctx.auth), input);
  }

  @Mutation(() => DeactivationResult, {
    description:
      'Dry run (the default) lists blockers and moves; a real run returns to CLASSIC atomically, exactly once per idempotencyKey (required then).',
  })
  async deactivatePortfolioMargin(
    @Arg('dryRun', () => Boolean, {
      defaultValue: true,
      nullable: true,
      description: 'True (the default): only report blockers and moves.',
    })
    dryRun: boolean | null,
    @Arg('idempotencyKey', () => String, {
      nullable: true,
      description: 'Required for a real run; a replay returns the first result.',
    })
    idempotencyKey: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<DeactivationResult> {
    const viewer = requireViewer(ctx.auth);
    if (viewer.kind !== 'user') throw forbidden('Deactivation needs the account holder’s own token');
    const r = await ctx.services.deactivation.deactivate(
      viewer.accountId,
      dryRun !== false,
      idempotencyKey ?? null,
    );
    return {
      ...r,
      moves: r.moves.map((m) => ({ ...m, to: m.to as WalletType })),
      account: r.account && toAccount(r.account),
    };
  }
}
