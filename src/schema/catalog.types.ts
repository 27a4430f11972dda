import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { Decimal } from '../lib/decimal';
import { ContractType, RiskStatus } from './enums';
import { DateTimeScalar, DecimalScalar } from './scalars';

@ObjectType({
  description: 'A USD slice [floor, cap) of an asset value, counted in accountEquity at `rate`.',
})
export class CollateralTier {
  @Field(() => DecimalScalar, { description: 'USD.' })
  floor: Decimal;
  @Field(() => DecimalScalar, { nullable: true, description: 'USD; null = unbounded.' })
  cap: Decimal | null;
  @Field(() => DecimalScalar, { description: 'Collateral rate of the slice, 0 to 1.' })
  rate: Decimal;
}

@ObjectType()
export class Asset {
  @Field({ description: 'The asset code, e.g. BTC.' })
  symbol: string;
  @Field(() => Int, { description: 'Decimal places an amount of this asset may have.' })
  precision: number;
  @Field(() => DecimalScalar, { nullable: true, description: 'Index price, USD; null while none is known.' })
  indexPrice: Decimal | null;
  @Field(() => [CollateralTier], {
    description: 'Tiered haircut: collateral(V) = sum over tiers of the slice of V in the tier x rate.',
  })
  collateralTiers: CollateralTier[];
  @Field(() => DecimalScalar, {
    description: 'Maintenance margin rate of a loan: MM = (borrowed + interest) x loanMMR x indexPrice.',
  })
  loanMMR: Decimal;
  @Field(() => Int, {
    description: 'Initial margin of a loan = (borrowed + interest) x indexPrice / (marginLeverage - 1).',
  })
  marginLeverage: number;
  @Field(() => DecimalScalar, {
    description: 'Simple interest per hour on the loan principal, as a fraction.',
  })
  hourlyInterestRate: Decimal;
  @Field(() => DecimalScalar, {
    description: 'hourlyInterestRate x 24 x 365: simple interest per 365-day year, as a fraction.',
  })
  yearlyInterestRate: Decimal;
  @Field(() => DecimalScalar, {
    description: 'Most an account may owe in principal of this asset, in the asset.',
  })
  borrowLimit: Decimal;
}

@ObjectType({
  description: 'Maintenance bracket [floor, cap): UM by notional in the quote asset, CM by notional in coin.',
})
export class Bracket {
  @Field(() => DecimalScalar, {
    description: 'Lower bound of the bracket (notional for UM, coin quantity for CM).',
  })
  floor: Decimal;
  @Field(() => DecimalScalar, { nullable: true, description: 'null = unbounded.' })
  cap: Decimal | null;
  @Field(() => DecimalScalar, { description: 'Maintenance margin rate.' })
  mmr: Decimal;
  @Field(() => DecimalScalar, {
    description:
      'Maintenance amount: margin = notional x mmr - cum; cum_k = cum_(k-1) + floor_k x (mmr_k - mmr_(k-1)).',
  })
  cum: Decimal;
  @Field(() => Int, { description: 'Largest leverage allowed in this bracket.' })
  maxLeverage: number;
}

@ObjectType()
export class FuturesSymbol {
  @Field({ description: 'The symbol, e.g. BTCUSDT (UM) or BTCUSD_PERP (CM).' })
  symbol: string;
  @Field(() => ContractType, {
    description:
      'UM: linear, quantity in the base asset; CM: inverse, quantity in contracts of faceValueUsd.',
  })
  contractType: ContractType;
  @Field({ description: 'The asset whose price the contract follows.' })
  base: string;
  @Field({ description: 'Asset of PnL and margin: the quote asset (UM) or the base coin (CM).' })
  settle: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'CM only: USD face value of one contract.' })
  faceValueUsd: Decimal | null;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Mark price, in the quote currency; null while none is known.',
  })
  markPrice: Decimal | null;
  @Field(() => [Bracket], {
    description:
      'Maintenance margin brackets by notional (UM, in the settle asset) or coin quantity (CM), ascending.',
  })
  brackets: Bracket[];
}

@ObjectType({ description: "An asset's index price or a symbol's mark price.", simpleResolvers: true })
export class Price {
  @Field({ description: 'An asset (index price) or a futures symbol (mark price).' })
  symbol: string;
  @Field(() => DecimalScalar, { description: 'USD (index) or quote currency (mark).' })
  price: Decimal;
  @Field(() => DateTimeScalar, { description: 'When the price arrived.' })
  updatedAt: Date;
}

@ObjectType()
export class QuizOption {
  @Field(() => ID, { description: 'Pass as optionId in activatePortfolioMargin.' })
  id: string;
  @Field({ description: 'The answer as shown.' })
  text: string;
}

@ObjectType({ description: 'An activation quiz question; answers are never served.' })
export class QuizQuestion {
  @Field(() => ID, { description: 'Pass as questionId in activatePortfolioMargin.' })
  id: string;
  @Field({ description: 'The question.' })
  text: string;
  @Field(() => [QuizOption], { description: 'The possible answers; exactly one is right.' })
  options: QuizOption[];
}

@ObjectType({
  description: 'A status band: the status applies while uniMMR is above `above` (and not a better band).',
})
export class RiskBand {
  @Field(() => RiskStatus, { description: 'The status of this band.' })
  status: RiskStatus;
  @Field(() => DecimalScalar, { nullable: true, description: 'uniMMR threshold; null for the last band.' })
  above: Decimal | null;
}

@ObjectType()
export class RiskParameters {
  @Field(() => [RiskBand], { description: 'All six statuses, best first, thresholds falling.' })
  bands: RiskBand[];
  @Field(() => DecimalScalar, {
    description: 'USD balance in the merged wallets that makes an account eligible (besides VIP levels).',
  })
  eligibilityThresholdUsd: Decimal;
  @Field(() => DecimalScalar, {
    description: 'maxWithdraw keeps accountEquity above this multiple of accountMaintMargin.',
  })
  maxWithdrawMmMultiple: Decimal;
}
