import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context';
import type { Decimal } from '../lib/decimal';
import { Risk } from '../schema/risk.types';
import { DecimalScalar } from '../schema/scalars';
import type { RiskView } from './risk-view';

@Resolver(() => Risk)
export class RiskResolver {
  @FieldResolver(() => DecimalScalar, {
    description:
      'Largest amount of one asset that may leave the PM wallet now, in the asset: 0 in REDUCE_ONLY or worse; else the ' +
      'largest x <= max(free, 0), rounded down to the asset precision, leaving accountEquity >= 1.2 x accountMaintMargin.',
  })
  maxWithdraw(
    @Root() risk: RiskView,
    @Arg('asset', { description: 'The asset to withdraw from PORTFOLIO_MARGIN.' }) asset: string,
    @Ctx() ctx: RequestContext,
  ): Decimal {
    ctx.services.catalog.asset(asset);
    return ctx.services.risk.maxWithdraw(risk.portfolio, asset, risk.book);
  }

  @FieldResolver(() => DecimalScalar, {
    description:
      'Largest amount of the asset that borrow would accept now, in the asset, rounded down to its precision: 0 in ' +
      'REDUCE_ONLY or worse; else limited by the borrow limit (borrowed + x <= borrowLimit) and by margin (after the loan ' +
      'and its first hour of interest, accountEquity >= accountInitialMargin). Hours started since the last accrual ' +
      '(at most one accrual interval) are not counted here; borrow counts them.',
  })
  maxBorrowable(
    @Root() risk: RiskView,
    @Arg('asset', { description: 'The asset to borrow.' }) asset: string,
    @Ctx() ctx: RequestContext,
  ): Decimal {
    ctx.services.catalog.asset(asset);
    return ctx.services.risk.maxBorrowable(risk.portfolio, asset, risk.book);
  }
}
