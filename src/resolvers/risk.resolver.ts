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
  maxWithdraw(@Root() risk: RiskView, @Arg('asset') asset: string, @Ctx() ctx: RequestContext): Decimal {
    ctx.services.catalog.asset(asset);
    return ctx.services.risk.maxWithdraw(risk.portfolio, asset, risk.book);
  }
}
