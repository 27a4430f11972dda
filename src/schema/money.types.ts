import { Field, ID, ObjectType } from 'type-graphql';
import type { Decimal } from '../lib/decimal';
import { ApiKeyScope, WalletType } from './enums';
import { Account } from './account.types';
import { DateTimeScalar, DecimalScalar } from './scalars';

@ObjectType({ description: "A transfer between two of the account's own wallets." })
export class Transfer {
  @Field(() => ID)
  id: string;
  @Field()
  idempotencyKey: string;
  @Field()
  asset: string;
  @Field(() => DecimalScalar, { description: 'In the asset, > 0.' })
  amount: Decimal;
  @Field(() => WalletType)
  from: WalletType;
  @Field(() => WalletType)
  to: WalletType;
  @Field(() => DateTimeScalar)
  createdAt: Date;
}

@ObjectType({
  description:
    'One side of a double-entry movement; the entries of one asset sum to zero across all wallets.',
})
export class LedgerEntry {
  @Field(() => ID)
  id: string;
  @Field()
  asset: string;
  @Field({
    description:
      'A WalletType, or EXTERNAL for the world outside (deposits, withdrawals, fees, PnL, interest).',
  })
  wallet: string;
  @Field({ description: 'The balance field changed: free, locked, borrowed or interest.' })
  field: string;
  @Field(() => DecimalScalar, { description: "Signed change of the wallet's net balance." })
  amount: Decimal;
  @Field()
  kind: string;
  @Field()
  reference: string;
  @Field(() => DateTimeScalar)
  createdAt: Date;
}

@ObjectType()
export class PageInfo {
  @Field(() => String, { nullable: true, description: 'Opaque; pass as `after` for the next page.' })
  endCursor: string | null;
  @Field()
  hasNextPage: boolean;
}

@ObjectType()
export class AccountConnection {
  @Field(() => [Account])
  nodes: Account[];
  @Field(() => PageInfo)
  pageInfo: PageInfo;
}

@ObjectType({ description: 'Newest first.' })
export class TransferConnection {
  @Field(() => [Transfer])
  nodes: Transfer[];
  @Field(() => PageInfo)
  pageInfo: PageInfo;
}

@ObjectType({ description: 'Newest first.' })
export class LedgerConnection {
  @Field(() => [LedgerEntry])
  nodes: LedgerEntry[];
  @Field(() => PageInfo)
  pageInfo: PageInfo;
}

@ObjectType({ description: "The account's loan of one asset after the operation, in the asset." })
export class Loan {
  @Field()
  asset: string;
  @Field(() => DecimalScalar, { description: 'Principal.' })
  borrowed: Decimal;
  @Field(() => DecimalScalar, { description: 'Accrued, unpaid interest.' })
  interest: Decimal;
}

@ObjectType()
export class ApiKey {
  @Field(() => ID)
  id: string;
  @Field()
  label: string;
  @Field(() => [ApiKeyScope])
  scopes: ApiKeyScope[];
  @Field(() => DateTimeScalar)
  createdAt: Date;
  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      'Last request authenticated with this key, to the minute (updated at most once a minute); null if never used.',
  })
  lastUsedAt: Date | null;
  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When the key was revoked; null while it works.',
  })
  revokedAt: Date | null;
}

@ObjectType({ description: 'Returned once, on creation: the secret is never shown again.' })
export class NewApiKey {
  @Field(() => ApiKey)
  apiKey: ApiKey;
  @Field()
  secret: string;
}

@ObjectType({ description: 'What stands in the way of leaving Portfolio Margin.' })
export class DeactivationBlocker {
  @Field({ description: 'OPEN_LOAN (borrowed or interest owed), NEGATIVE_BALANCE or OPEN_POSITION.' })
  code: string;
  @Field(() => String, { nullable: true })
  asset: string | null;
  @Field(() => String, { nullable: true })
  symbol: string | null;
  @Field()
  message: string;
}

@ObjectType({ description: 'A PORTFOLIO_MARGIN balance moved whole (its net amount) on deactivation.' })
export class DeactivationMove {
  @Field()
  asset: string;
  @Field(() => DecimalScalar, { description: 'Net balance moved, in the asset.' })
  amount: Decimal;
  @Field(() => WalletType)
  to: WalletType;
}

@ObjectType()
export class DeactivationResult {
  @Field()
  dryRun: boolean;
  @Field(() => [DeactivationBlocker])
  blockers: DeactivationBlocker[];
  @Field(() => [DeactivationMove])
  moves: DeactivationMove[];
  @Field(() => Account, {
    nullable: true,
    description: 'The account in CLASSIC mode after a real run; null for a dry run or when blocked.',
  })
  account: Account | null;
}
