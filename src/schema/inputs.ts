import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { ContractType, RiskStatus, Side, WalletType } from './enums';
import { DecimalScalar } from './scalars';

@InputType()
export class QuizAnswerInput {
  @Field(() => ID, { description: 'QuizQuestion.id.' })
  questionId: string;
  @Field(() => ID, { description: 'The chosen QuizOption.id.' })
  optionId: string;
}

@InputType()
export class TransferInput {
  @Field({ description: 'The asset to move (assets { symbol }).' })
  asset: string;
  @Field(() => DecimalScalar, { description: '> 0, at most the asset precision in decimals, at most 10^15.' })
  amount: string;
  @Field(() => WalletType, { description: 'The wallet to debit.' })
  from: WalletType;
  @Field(() => WalletType, { description: 'The wallet to credit.' })
  to: WalletType;
  @Field({
    description: 'Client key, 1-64 characters [A-Za-z0-9_.:-], shared by all money mutations of the account.',
  })
  idempotencyKey: string;
}

@InputType()
export class LoanInput {
  @Field({ description: 'The asset to borrow or repay.' })
  asset: string;
  @Field(() => DecimalScalar, {
    description:
      '> 0, at most the asset precision in decimals, at most 10^15. Repay: at most what is owed (interest first).',
  })
  amount: string;
  @Field({
    description: 'Client key, 1-64 characters [A-Za-z0-9_.:-], shared by all money mutations of the account.',
  })
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
  @Field({ description: "The trading engine's fill id: the fill books once per id and account." })
  fillId: string;
  @Field(() => ID, { description: 'The account that traded.' })
  accountId: string;
  @Field({ description: 'The futures symbol traded.' })
  symbol: string;
  @Field(() => Side, { description: 'BUY increases a long (or reduces a short), SELL the opposite.' })
  side: Side;
  @Field(() => DecimalScalar, { description: 'UM: base quantity; CM: contracts.' })
  quantity: string;
  @Field(() => DecimalScalar, { description: 'The fill price, in the quote currency (UM) or USD (CM), > 0.' })
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
  @Field({ description: 'An asset (its index price) or a futures symbol (its mark price).' })
  symbol: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'relative change, e.g. "-0.1" for -10%' })
  change?: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'absolute new price' })
  price?: string | null;
}

@InputType()
export class ScenarioInput {
  @Field(() => [PriceMoveInput], {
    nullable: true,
    description: 'Price moves, applied first: each names an index (asset) or a mark (futures symbol).',
  })
  prices?: PriceMoveInput[] | null;
  @Field(() => [TransferInput], {
    nullable: true,
    description: 'Transfers between the own wallets, applied after the prices, in order.',
  })
  transfers?: TransferInput[] | null;
  @Field(() => [LoanInput], { nullable: true, description: 'Margin loans, applied after the transfers.' })
  borrows?: LoanInput[] | null;
  @Field(() => [FillInput], {
    nullable: true,
    description: 'Fills, applied last (accountId is ignored: the simulated account is used).',
  })
  fills?: FillInput[] | null;
}

/** deposit / withdraw: the funding system moves `amount` of `asset` between SPOT and outside. */
@ArgsType()
export class FundingArgs {
  @Field(() => ID, { description: 'The account whose SPOT wallet is credited or debited.' })
  accountId: string;
  @Field({ description: 'The asset moved.' })
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
  @Field(() => RiskStatus, { description: 'The status of this band (all six, best first).' })
  status: RiskStatus;
  @Field(() => DecimalScalar, { nullable: true, description: 'null for the last band only.' })
  above?: string | null;
}

@InputType({ description: 'Omitted fields stay as they are.' })
export class RiskParametersInput {
  @Field(() => [RiskBandInput], { nullable: true, description: 'All six statuses, in order.' })
  bands?: RiskBandInput[] | null;
  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'USD balance in the merged wallets that makes an account eligible; omitted: unchanged.',
  })
  eligibilityThresholdUsd?: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: "Not below REDUCE_ONLY's edge." })
  maxWithdrawMmMultiple?: string | null;
}

@InputType()
export class CollateralTierInput {
  @Field(() => DecimalScalar, {
    description: 'USD value where the tier starts (the first tier starts at 0).',
  })
  floor: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'null = open-ended (the last tier).' })
  cap?: string | null;
  @Field(() => DecimalScalar, { description: 'Share of the slice counted as collateral, 0 to 1.' })
  rate: string;
}

@InputType()
export class AssetInput {
  @Field({ description: 'The asset code, e.g. BTC: an existing asset is changed, a new one created.' })
  symbol: string;
  @Field(() => Int, { description: 'Immutable once the asset exists.' })
  precision: number;
  @Field(() => [CollateralTierInput], { description: 'Contiguous from 0, the last open-ended.' })
  collateralTiers: CollateralTierInput[];
  @Field(() => DecimalScalar, {
    description: 'Maintenance margin rate of a loan (and a negative balance) in this asset, e.g. 0.1.',
  })
  loanMMR: string;
  @Field(() => Int, {
    description: 'Margin leverage; a loan needs initial margin of value / (marginLeverage - 1).',
  })
  marginLeverage: number;
  @Field(() => DecimalScalar, { description: 'Interest per hour on borrowed principal, e.g. 0.0000041667.' })
  hourlyInterestRate: string;
  @Field(() => DecimalScalar, { description: 'Largest principal one account may owe in this asset.' })
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
  @Field(() => DecimalScalar, {
    description: 'Lower bound of the bracket: notional (UM) or coin quantity (CM); the first is 0.',
  })
  floor: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'null = unbounded.' })
  cap?: string | null;
  @Field(() => DecimalScalar, { description: 'Maintenance margin rate within the bracket.' })
  mmr: string;
  @Field(() => Int, { description: 'Largest leverage allowed in this bracket.' })
  maxLeverage: number;
}

@InputType()
export class SymbolInput {
  @Field({ description: 'The symbol, e.g. BTCUSDT: an existing symbol is changed, a new one created.' })
  symbol: string;
  @Field(() => ContractType, { description: 'Immutable once the symbol exists (as are base and settle).' })
  contractType: ContractType;
  @Field({ description: 'The asset whose price the contract follows (immutable).' })
  base: string;
  @Field({
    description: 'The asset PnL and margin are in: the quote (UM) or the base coin (CM) (immutable).',
  })
  settle: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'CM only: USD face value of one contract.' })
  faceValueUsd?: string | null;
  @Field(() => Int, { description: 'Leverage of new positions, for their initial margin.' })
  defaultLeverage: number;
  @Field(() => [BracketInput], { description: 'Contiguous from 0; cum is derived.' })
  brackets: BracketInput[];
}
