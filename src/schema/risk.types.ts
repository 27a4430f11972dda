import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { Decimal } from '../lib/decimal';
import { RiskStatus } from './enums';
import { Wallet } from './account.types';
import { DateTimeScalar, DecimalScalar } from './scalars';

/*
 * `simpleResolvers: true`: the plain fields of these types are read by graphql-js's default resolver rather than
 * through type-graphql's middleware wrapper (there are no middlewares); they are on every polled dashboard read.
 */
@ObjectType({
  description: 'One asset of the unified account (spec section 3). Amounts in USD unless said otherwise.',
  simpleResolvers: true,
})
export class AssetRisk {
  @Field({ description: 'Asset symbol.' })
  asset: string;
  @Field(() => DecimalScalar, {
    description: 'E_a = net balance + unrealized PnL settling in this asset, in the asset.',
  })
  equity: Decimal;
  @Field(() => DecimalScalar, { description: 'V_a = equity x indexPrice.' })
  valueUsd: Decimal;
  @Field(() => DecimalScalar, {
    description: 'collateral(V_a): tiered haircut when V_a > 0, V_a in full when V_a <= 0.',
  })
  collateralValueUsd: Decimal;
  @Field(() => DecimalScalar, {
    description: "Maintenance margin of the positions settling in this asset plus this asset's loan.",
  })
  maintMarginUsd: Decimal;
}

@ObjectType({
  description: 'Risk of the unified (Portfolio Margin) account; all amounts in USD at index prices.',
  simpleResolvers: true,
})
export class Risk {
  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'accountEquity / accountMaintMargin; null when there is no maintenance margin.',
  })
  uniMMR: Decimal | null;
  @Field(() => RiskStatus, {
    description: 'Band of uniMMR; decided by exact comparison, never by a rounded ratio.',
  })
  status: RiskStatus;
  @Field(() => DecimalScalar, { description: 'Adjusted equity = sum of collateralValueUsd over assets.' })
  accountEquity: Decimal;
  @Field(() => DecimalScalar, { description: 'sum of valueUsd over assets (no haircut).' })
  actualEquity: Decimal;
  @Field(() => DecimalScalar, { description: 'sum of the maintenance margins of all positions and loans.' })
  accountMaintMargin: Decimal;
  @Field(() => DecimalScalar, {
    description:
      'sum of position initial margins (notional / leverage) and loan initial margins ((borrowed + interest) x price / (marginLeverage - 1)).',
  })
  accountInitialMargin: Decimal;
  @Field(() => DecimalScalar, { description: 'max(accountEquity - accountInitialMargin, 0).' })
  availableBalance: Decimal;
  @Field(() => DecimalScalar, { description: 'max(accountEquity - 1.2 x accountMaintMargin, 0).' })
  maxWithdrawUsd: Decimal;
  @Field(() => [AssetRisk], {
    description: 'Per-asset equity, value, collateral value and maintenance margin.',
  })
  assets: AssetRisk[];
  @Field(() => DateTimeScalar, { description: 'When the inputs (prices, balances, positions) were read.' })
  updatedAt: Date;
}

@ObjectType({ simpleResolvers: true })
export class Eligibility {
  @Field({ description: 'vipLevel within the VIP range, or qualifyingBalanceUsd >= requiredBalanceUsd.' })
  eligible: boolean;
  @Field(() => DecimalScalar, {
    description:
      'USD value at index prices of the net balances in CROSS_MARGIN, USDM_FUTURES and COINM_FUTURES (uPnL excluded).',
  })
  qualifyingBalanceUsd: Decimal;
  @Field(() => DecimalScalar, { description: 'USD threshold (configuration).' })
  requiredBalanceUsd: Decimal;
  @Field(() => Int, { description: 'The account VIP level, 0-9 (1-9 qualifies by itself).' })
  vipLevel: number;
  @Field(() => [String], { description: 'Human-readable reasons when not eligible.' })
  reasons: string[];
}

@ObjectType({ simpleResolvers: true })
export class LiquidationPrice {
  @Field({ description: 'Asset whose index price moves (with the marks of its symbols).' })
  asset: string;
  @Field(() => DecimalScalar, { description: 'Index price now, USD.' })
  currentPrice: Decimal;
  @Field(() => DecimalScalar, {
    nullable: true,
    description:
      "Index price, USD, at which uniMMR reaches 1.05 when this asset's index and its symbols' marks move by one factor r (r nearest to 1, within (0, 100]); null if none.",
  })
  liquidationPrice: Decimal | null;
}

/** Plain fields on every pushed event: `simpleResolvers` lets a subscription's plan copy them (server/event-executor.ts). */
@ObjectType({ simpleResolvers: true })
export class RiskUpdate {
  @Field(() => ID, { description: 'The account whose risk this is.' })
  accountId: string;
  @Field(() => Risk, { description: 'The risk at the time of the update.' })
  risk: Risk;
}

@ObjectType()
export class RiskStatusChange {
  @Field(() => ID, { description: 'The account whose status changed.' })
  accountId: string;
  @Field(() => RiskStatus, { description: 'The status before.' })
  from: RiskStatus;
  @Field(() => RiskStatus, { description: 'The status now.' })
  to: RiskStatus;
  @Field(() => Risk, { description: 'The risk at the moment of the change.' })
  risk: Risk;
}

@ObjectType({ simpleResolvers: true })
export class WalletUpdate {
  @Field(() => ID, { description: 'The account whose wallet changed.' })
  accountId: string;
  @Field(() => Wallet, { description: 'The wallet after the change.' })
  wallet: Wallet;
  @Field(() => String, {
    nullable: true,
    description:
      'The id of the last ledger entry this update reflects: pass it as `after` when reconnecting.',
  })
  cursor: string | null;
}
