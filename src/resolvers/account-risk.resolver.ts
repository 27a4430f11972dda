import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../context';
import { applyScenario } from '../services/margin';
import { parseScenario } from '../services/risk/scenario-input';
import { positionInput } from '../services/risk/risk.service';
import { Account, Position } from '../schema/account.types';
import { ScenarioInput } from '../schema/inputs';
import { Eligibility, LiquidationPrice, Risk } from '../schema/risk.types';
import { onWire, positionView, riskView, type RiskView } from './risk-view';

/** The account's row and its rows' state, as the read model proves them current for this request. */
async function rowsOf(ctx: RequestContext, accountId: string) {
  const { account, state } = (await ctx.loaders.load(accountId))!;
  return { account, state, balances: state.balances, positions: state.positions };
}

/** A risk view computed once per account, price and catalogue version; `updatedAt` is this read's time. */
const readNow = (view: RiskView | null): RiskView | null => view && { ...view, updatedAt: new Date() };

/** The risk engine's answers about one account, each computed at the prices of the moment. */
@Resolver(() => Account)
export class AccountRiskResolver {
  @FieldResolver(() => [Position], {
    description: 'Open positions with their margin at current mark and index prices.',
  })
  async positions(@Root() root: Account, @Ctx() ctx: RequestContext): Promise<Position[]> {
    const { state, positions } = await rowsOf(ctx, root.id);
    if (positions.length === 0) return [];
    return ctx.services.readModel.derived(state, 'positions', () =>
      ctx.services.risk
        .risk({ balances: [], positions: positions.map(positionInput) })
        .positions.map(positionView),
    );
  }

  @FieldResolver(() => Risk, {
    nullable: true,
    description: 'PM mode: the live risk of the unified account. CLASSIC: null.',
  })
  async risk(@Root() root: Account, @Ctx() ctx: RequestContext): Promise<RiskView | null> {
    const { account, state, balances, positions } = await rowsOf(ctx, root.id);
    if (account.mode !== 'PORTFOLIO_MARGIN') return null;
    const { risk } = ctx.services;
    return readNow(
      ctx.services.readModel.derived(state, 'risk', () => {
        const portfolio = risk.portfolio(balances, positions);
        const book = risk.book();
        return riskView(risk.risk(portfolio, book), portfolio, book, new Date());
      }),
    );
  }

  @FieldResolver(() => Eligibility, {
    description:
      'Spec section 2: eligible with vipLevel 1-9 or qualifyingBalanceUsd >= requiredBalanceUsd (then the quiz).',
  })
  async eligibility(@Root() root: Account, @Ctx() ctx: RequestContext): Promise<Eligibility> {
    const { account, balances } = await rowsOf(ctx, root.id);
    const result = ctx.services.risk.eligibility(account, balances);
    return { ...result, qualifyingBalanceUsd: onWire(result.qualifyingBalanceUsd) };
  }

  @FieldResolver(() => Risk, {
    nullable: true,
    description: 'CLASSIC only: the risk this account would have after activation (null in PM mode).',
  })
  async activationPreview(@Root() root: Account, @Ctx() ctx: RequestContext): Promise<RiskView | null> {
    const { account, state, balances, positions } = await rowsOf(ctx, root.id);
    if (account.mode !== 'CLASSIC') return null;
    const { risk } = ctx.services;
    return readNow(
      ctx.services.readModel.derived(state, 'activationPreview', () => {
        const portfolio = risk.previewPortfolio(balances, positions);
        const book = risk.book();
        return riskView(risk.risk(portfolio, book), portfolio, book, new Date());
      }),
    );
  }

  @FieldResolver(() => Risk, {
    description:
      'What-if, changes nothing: risk after the given price moves, transfers, loans and fills, applied in that order ' +
      '(an index move does not move marks). CLASSIC accounts are simulated as if activated.',
  })
  async simulateRisk(
    @Root() root: Account,
    @Arg('scenario', () => ScenarioInput, { description: 'The hypothetical changes; nothing is written.' })
    scenario: ScenarioInput,
    @Ctx() ctx: RequestContext,
  ): Promise<RiskView> {
    const { account, balances, positions } = await rowsOf(ctx, root.id);
    const { risk, catalog } = ctx.services;
    const parsed = parseScenario(scenario, catalog);
    const start =
      account.mode === 'PORTFOLIO_MARGIN'
        ? risk.portfolio(balances, positions)
        : risk.previewPortfolio(balances, positions);
    const after = applyScenario(start, risk.book(), catalog.riskParams, parsed);
    return riskView(risk.risk(after.portfolio, after.prices), after.portfolio, after.prices, new Date());
  }

  @FieldResolver(() => [LiquidationPrice], {
    description:
      'For every asset with a non-zero PM balance or an open position settling in it or based on it: the index price at ' +
      'which uniMMR would reach 1.05 (spec section 6); null if none up to 100x. Empty in CLASSIC mode.',
  })
  async liquidationPrices(@Root() root: Account, @Ctx() ctx: RequestContext): Promise<LiquidationPrice[]> {
    const { account, state, balances, positions } = await rowsOf(ctx, root.id);
    if (account.mode !== 'PORTFOLIO_MARGIN') return [];
    const { risk } = ctx.services;
    return ctx.services.readModel.derived(state, 'liquidationPrices', () =>
      risk.liquidationPrices(risk.portfolio(balances, positions)),
    );
  }
}
