import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { requireOperator } from '../auth/viewer';
import type { RequestContext } from '../context';
import { badInput } from '../errors';
import { RiskUpdate } from '../schema/risk.types';
import { AT_RISK_MAX } from '../services/risk-book/at-risk';
import { riskView } from './risk-view';

@Resolver()
export class AtRiskResolver {
  @Query(() => [RiskUpdate], {
    description:
      'Operator only: the Portfolio Margin accounts with the lowest uniMMR, lowest first, from the risk book ' +
      '(accounts without maintenance margin are not listed). Each risk is the exact engine on the newest prices.',
  })
  async atRiskAccounts(
    @Arg('first', () => Int, {
      nullable: true,
      defaultValue: 20,
      description: `How many accounts (1-${AT_RISK_MAX}).`,
    })
    first: number,
    @Ctx() ctx: RequestContext,
  ): Promise<RiskUpdate[]> {
    requireOperator(ctx.auth);
    if (!Number.isInteger(first) || first < 1 || first > AT_RISK_MAX)
      throw badInput(`first must be an integer from 1 to ${AT_RISK_MAX}`, 'first');
    return (await ctx.services.atRisk.lowest(first)).map((s) => ({
      accountId: s.accountId,
      risk: riskView(s.result, s.portfolio, s.book, s.at),
    }));
  }
}
