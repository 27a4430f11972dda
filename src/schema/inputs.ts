import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { Side, WalletType } from './enums';
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
