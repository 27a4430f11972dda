import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { ContractType, RiskStatus, Side, WalletType } from './enums';
import { DecimalScalar } from './scalars';

@InputType()
export class QuizAnswerInput {
  @Field(() => ID)
  questionId: string;
  @Field(() => ID)
  optionId: string;
}

@InputType()
export class TransferInput {
  @Field()
  asset: string;
  @Field(() => DecimalScalar, { description: '> 0, at most the asset precision in decimals, at most 10^15.' })
  amount: string;
  @Field(() => WalletType)
  from: WalletType;
  @Field(() => WalletType)
  to: WalletType;
  @Field({
    description: 'Client key, 1-64 characters [A-Za-z0-9_.:-], shared by all money mutations of the account.',
  })
  idempotencyKey: string;
}

@InputType()
export class LoanInput {
  @Field()
  asset: string;
  @Field(() => DecimalScalar)
  amount: string;
  @Field()
  idempotencyKey: string;
}

@InputType()
export class PriceInput {
  @Field({ description: 'An asset (index price) or a futures symbol (mark price).' })
  symbol: string;
  @Field(() => DecimalScalar, { description: '> 0.' })
  price: string;
}

@InputType()
export class FillInput {
  @Field()
  fillId: string;
  @Field(() => ID)
  accountId: string;
  @Field()
  symbol: string;
  @Field(() => Side)
  side: Side;
  @Field(() => DecimalScalar, { description: 'UM: base quantity; CM: contracts.' })
  quantity: string;
  @Field(() => DecimalScalar)
  price: string;
  @Field(() => DecimalScalar, {
    defaultValue: '0',
    nullable: true,
    description: 'In the settle asset, >= 0.',
  })
  fee: string;
}

@InputType()
export class PriceMoveInput {
  @Field()
  symbol: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'relative change, e.g. "-0.1" for -10%' })
  change?: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'absolute new price' })
  price?: string | null;
}

@InputType()
export class ScenarioInput {
  @Field(() => [PriceMoveInput], { nullable: true })
  prices?: PriceMoveInput[] | null;
  @Field(() => [TransferInput], { nullable: true })
  transfers?: TransferInput[] | null;
  @Field(() => [LoanInput], { nullable: true })
  borrows?: LoanInput[] | null;
  @Field(() => [FillInput], { nullable: true })
  fills?: FillInput[] | null;
}

/** deposit / withdraw: the funding system moves `amount` of `asset` between SPOT and outside. */
@ArgsType()
export class FundingArgs {
  @Field(() => ID)
  accountId: string;
  @Field()
  asset: string;
  @Field(() => DecimalScalar, { description: '> 0, at most the asset precision in decimals, at most 10^15.' })
  amount: string;
  @Field({
    description: 'Client key, 1-64 characters [A-Za-z0-9_.:-], shared by all money mutations of the account.',
  })
  idempotencyKey: string;
}

@InputType()
export class RiskBandInput {
  @Field(() => RiskStatus)
  status: RiskStatus;
  @Field(() => DecimalScalar, { nullable: true, description: 'null for the last band only.' })
  above?: string | null;
}

@InputType({ description: 'Omitted fields stay as they are.' })
export class RiskParametersInput {
  @Field(() => [RiskBandInput], { nullable: true, description: 'All six statuses, in order.' })
  bands?: RiskBandInput[] | null;
  @Field(() => DecimalScalar, { nullable: true })
  eligibilityThresholdUsd?: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: "Not below REDUCE_ONLY's edge." })
  maxWithdrawMmMultiple?: string | null;
}

@InputType()
export class CollateralTierInput {
  @Field(() => DecimalScalar)
  floor: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'null = open-ended (the last tier).' })
  cap?: string | null;
  @Field(() => DecimalScalar)
  rate: string;
}

@InputType()
export class AssetInput {
  @Field()
  symbol: string;
  @Field(() => Int, { description: 'Immutable once the asset exists.' })
  precision: number;
  @Field(() => [CollateralTierInput], { description: 'Contiguous from 0, the last open-ended.' })
  collateralTiers: CollateralTierInput[];
  @Field(() => DecimalScalar)
  loanMMR: string;
  @Field(() => Int)
  marginLeverage: number;
  @Field(() => DecimalScalar)
  hourlyInterestRate: string;
  @Field(() => DecimalScalar)
  borrowLimit: string;
  @Field(() => [WalletType], {
    nullable: true,
    description:
      'Wallets that take the asset; default SPOT, CROSS_MARGIN, PORTFOLIO_MARGIN (and the futures wallets of its symbols).',
  })
  wallets?: WalletType[] | null;
}

@InputType()
export class BracketInput {
  @Field(() => DecimalScalar)
  floor: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'null = unbounded.' })
  cap?: string | null;
  @Field(() => DecimalScalar)
  mmr: string;
  @Field(() => Int)
  maxLeverage: number;
}

@InputType()
export class SymbolInput {
  @Field()
  symbol: string;
  @Field(() => ContractType, { description: 'Immutable once the symbol exists (as are base and settle).' })
  contractType: ContractType;
  @Field()
  base: string;
  @Field()
  settle: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'CM only: USD face value of one contract.' })
  faceValueUsd?: string | null;
  @Field(() => Int)
  defaultLeverage: number;
  @Field(() => [BracketInput], { description: 'Contiguous from 0; cum is derived.' })
  brackets: BracketInput[];
}
