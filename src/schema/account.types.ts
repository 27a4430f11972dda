import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { Decimal } from '../lib/decimal';
import { AccountMode, ContractType, WalletType } from './enums';
import { DecimalScalar } from './scalars';

/*
 * `simpleResolvers: true`: the plain fields of these types are read by graphql-js's default resolver rather than
 * through type-graphql's middleware wrapper (there are no middlewares); they are on every polled dashboard read.
 */
@ObjectType({ description: 'One trader. Its wallets depend on the mode.', simpleResolvers: true })
export class Account {
  @Field(() => ID, { description: 'The account id (a positive integer as a string).' })
  id: string;
  @Field(() => Int, { description: '0-9.' })
  vipLevel: number;
  @Field(() => AccountMode, {
    description: 'CLASSIC (four wallets) or PORTFOLIO_MARGIN (SPOT and the unified wallet).',
  })
  mode: AccountMode;
}

@ObjectType({
  description: 'Balance of one asset in one wallet, in units of the asset.',
  simpleResolvers: true,
})
export class Balance {
  @Field({ description: 'Asset symbol.' })
  asset: string;
  @Field(() => DecimalScalar, {
    description: 'Available; negative only after a realised loss or fee larger than it (a liability).',
  })
  free: Decimal;
  @Field(() => DecimalScalar, { description: 'Held by open orders, in the asset.' })
  locked: Decimal;
  @Field(() => DecimalScalar, { description: 'Loan principal.' })
  borrowed: Decimal;
  @Field(() => DecimalScalar, { description: 'Accrued, unpaid loan interest.' })
  interest: Decimal;
  @Field(() => DecimalScalar, { description: 'free + locked - borrowed - interest' })
  net: Decimal;
  @Field(() => DecimalScalar, { description: 'net x indexPrice, USD.' })
  valueUsd: Decimal;
}

@ObjectType({ simpleResolvers: true })
export class Wallet {
  @Field(() => WalletType, { description: 'The wallet kind.' })
  type: WalletType;
  @Field(() => [Balance], { description: 'Non-empty balances, in catalogue order.' })
  balances: Balance[];
  @Field(() => DecimalScalar, { description: "Sum of the balances' net USD value at index prices." })
  totalValueUsd: Decimal;
}

@ObjectType({
  description: 'Net futures position (one-way mode) with its margin at current mark and index prices.',
  simpleResolvers: true,
})
export class Position {
  @Field({ description: 'Futures symbol.' })
  symbol: string;
  @Field(() => ContractType, {
    description: 'UM (linear, PnL in the quote asset) or CM (inverse, PnL in the coin).',
  })
  contractType: ContractType;
  @Field(() => DecimalScalar, {
    description: 'Signed: positive long, negative short. UM in base asset, CM in contracts.',
  })
  quantity: Decimal;
  @Field(() => DecimalScalar, {
    description: 'Average entry: UM quantity-weighted, CM harmonic (contracts / sum(contracts_i / price_i)).',
  })
  entryPrice: Decimal;
  @Field(() => DecimalScalar, {
    description:
      "Current mark price, in the quote currency (USD for CM). In applyFill's answer, when the symbol has no mark price yet, the fill price, and notional, unrealizedPnl and the margins are computed at it (USD margins at the settle asset's index, or without one at the contract's own scale: CM the coin at this price, UM 1 USD per quote unit).",
  })
  markPrice: Decimal;
  @Field(() => DecimalScalar, {
    description:
      'UM in USD (quote): |quantity x markPrice|. CM in coin: |contracts| x faceValueUsd / markPrice.',
  })
  notional: Decimal;
  @Field(() => DecimalScalar, {
    description:
      'In the settle asset. UM: quantity x (markPrice - entryPrice). CM: contracts x faceValueUsd x (1/entryPrice - 1/markPrice).',
  })
  unrealizedPnl: Decimal;
  @Field(() => Int, { description: 'Leverage of the position; initial margin = notional / leverage.' })
  leverage: number;
  @Field(() => DecimalScalar, {
    description: 'USD: (notional x mmr_k - cum_k) x indexPrice(settle), bracket k chosen by notional.',
  })
  maintenanceMarginUsd: Decimal;
  @Field(() => DecimalScalar, { description: 'USD: notional / leverage x indexPrice(settle).' })
  initialMarginUsd: Decimal;
}
