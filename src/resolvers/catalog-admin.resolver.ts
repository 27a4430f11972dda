import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context';
import { requireOperator } from '../auth/viewer';
import type { RiskParametersEntity } from '../entities';
import { dec } from '../lib/decimal';
import { Asset, FuturesSymbol, RiskBand, RiskParameters } from '../schema/catalog.types';
import { RiskStatus } from '../schema/enums';
import { AssetInput, RiskParametersInput, SymbolInput } from '../schema/inputs';
import { toAsset, toSymbol } from './catalog.resolver';

const toBands = (p: RiskParametersEntity): RiskBand[] =>
  p.bands.map((b) => ({ status: b.status as RiskStatus, above: b.above === null ? null : dec(b.above) }));

const toRiskParameters = (p: RiskParametersEntity): RiskParameters => ({
  bands: toBands(p),
  eligibilityThresholdUsd: p.eligibilityThresholdUsd,
  maxWithdrawMmMultiple: p.maxWithdrawMmMultiple,
});

/** The catalogue and risk parameters as data: read by all, changed by operators, live on every instance. */
@Resolver()
export class CatalogAdminResolver {
  @Query(() => [RiskBand], {
    description:
      'Public: the status bands (status, uniMMR above which it applies), for gauges and band distances.',
  })
  riskBands(@Ctx() { services }: RequestContext): RiskBand[] {
    return toBands(services.catalog.parameters);
  }

  @Query(() => RiskParameters, {
    description:
      'Operator only: the current risk parameters (bands, eligibility threshold, max-withdraw multiple).',
  })
  riskParameters(@Ctx() ctx: RequestContext): RiskParameters {
    requireOperator(ctx.auth);
    return toRiskParameters(ctx.services.catalog.parameters);
  }

  @Query(() => Int, {
    description:
      'Public: the version of the catalogue (assets, symbols, risk parameters) this instance serves; every change raises it.',
  })
  catalogVersion(@Ctx() { services }: RequestContext): number {
    return services.catalog.version;
  }

  @Mutation(() => RiskParameters, {
    description:
      "Operator only. Omitted fields stay; bands list all six statuses in order; the multiple is not below REDUCE_ONLY's edge.",
  })
  async setRiskParameters(
    @Arg('input', () => RiskParametersInput, {
      description: 'The parameters to change; omitted fields stay.',
    })
    input: RiskParametersInput,
    @Ctx() ctx: RequestContext,
  ): Promise<RiskParameters> {
    requireOperator(ctx.auth);
    return toRiskParameters(await ctx.services.catalogAdmin.setRiskParameters(input));
  }

  @Mutation(() => Asset, {
    description:
      'Operator only: create or change an asset; takes effect on every instance without a restart.',
  })
  async upsertAsset(
    @Arg('input', () => AssetInput, { description: 'The asset with all its parameters.' }) input: AssetInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Asset> {
    requireOperator(ctx.auth);
    return toAsset(await ctx.services.catalogAdmin.upsertAsset(input), ctx.services.prices);
  }

  @Mutation(() => FuturesSymbol, {
    description: 'Operator only: create or change a futures symbol; cum is derived from the brackets.',
  })
  async upsertSymbol(
    @Arg('input', () => SymbolInput, { description: 'The symbol with all its parameters.' })
    input: SymbolInput,
    @Ctx() ctx: RequestContext,
  ): Promise<FuturesSymbol> {
    requireOperator(ctx.auth);
    return toSymbol(await ctx.services.catalogAdmin.upsertSymbol(input), ctx.services.prices);
  }
}
