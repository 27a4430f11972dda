import { Field, ID, ObjectType } from 'type-graphql';
import type { Decimal } from '../lib/decimal';
import { ApiKeyScope, WalletType } from './enums';
import { Account } from './account.types';
import { DateTimeScalar, DecimalScalar } from './scalars';

@ObjectType({ description: "A transfer between two of the account's own wallets." })
export class Transfer {
  @Field(() => ID, { description: 'The transfer id.' })
  id: string;
  @Field({ description: "The client's key under which the transfer was made (exactly once per key)." })
  idempotencyKey: string;
  @Field({ description: 'The asset moved.' })
  asset: string;
  @Field(() => DecimalScalar, { description: 'In the asset, > 0.' })
  amount: Decimal;
  @Field(() => WalletType, { description: 'The wallet debited.' })
  from: WalletType;
  @Field(() => WalletType, { description: 'The wallet credited.' })
  to: WalletType;
  @Field(() => DateTimeScalar, { description: 'When the transfer was booked.' })
  createdAt: Date;
}

@ObjectType({
  description:
    'One side of a double-entry movement; the entries of one asset sum to zero across all wallets.',
})
export class LedgerEntry {
  @Field(() => ID, { description: 'Increasing id of the entry: a later entry has a higher id.' })
  id: string;
  @Field({ description: 'The asset whose balance changed.' })
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
  @Field({
    description:
      'What moved the money: DEPOSIT, WITHDRAW, TRANSFER, BORROW, REPAY, INTEREST, REALIZED_PNL, FEE, ACTIVATION or DEACTIVATION.',
  })
  kind: string;
  @Field({
    description:
      'What caused the entry, per kind: the idempotency key or transfer id of the movement, the fill id of a fill (REALIZED_PNL, FEE), interest:<asset>:<until> for accrued interest, activation or deactivation.',
  })
  reference: string;
  @Field(() => DateTimeScalar, {
    description: 'When the entry was booked (the same for every entry of one movement).',
  })
  createdAt: Date;
}

@ObjectType()
export class PageInfo {
  @Field(() => String, { nullable: true, description: 'Opaque; pass as `after` for the next page.' })
  endCursor: string | null;
  @Field({ description: 'True when more items follow endCursor.' })
  hasNextPage: boolean;
}

@ObjectType()
export class AccountConnection {
  @Field(() => [Account], { description: 'The accounts of this page, oldest first.' })
  nodes: Account[];
  @Field(() => PageInfo, { description: 'Where the next page starts.' })
  pageInfo: PageInfo;
}

@ObjectType({ description: 'Newest first.' })
export class TransferConnection {
  @Field(() => [Transfer], { description: 'The transfers of this page, newest first.' })
  nodes: Transfer[];
  @Field(() => PageInfo, { description: 'Where the next page starts.' })
  pageInfo: PageInfo;
}

@ObjectType({ description: 'Newest first.' })
export class LedgerConnection {
  @Field(() => [LedgerEntry], { description: 'The ledger entries of this page, newest first.' })
  nodes: LedgerEntry[];
  @Field(() => PageInfo, { description: 'Where the next page starts.' })
  pageInfo: PageInfo;
}

@ObjectType({ description: "The account's loan of one asset after the operation, in the asset." })
export class Loan {
  @Field({ description: 'The asset of the loan.' })
  asset: string;
  @Field(() => DecimalScalar, { description: 'Principal.' })
  borrowed: Decimal;
  @Field(() => DecimalScalar, { description: 'Accrued, unpaid interest.' })
  interest: Decimal;
}

@ObjectType()
export class ApiKey {
  @Field(() => ID, { description: 'The key id (not the secret): pass it to revokeApiKey.' })
  id: string;
  @Field({ description: 'The name given at creation.' })
  label: string;
  @Field(() => [ApiKeyScope], {
    description: 'What the key may do: READ, and TRANSFER for transfers, borrows and repays.',
  })
  scopes: ApiKeyScope[];
  @Field(() => DateTimeScalar, { description: 'When the key was created.' })
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
  @Field(() => ApiKey, { description: 'The new key.' })
  apiKey: ApiKey;
  @Field({ description: 'The key itself, for the X-Api-Key header: shown only here, never again.' })
  secret: string;
}

@ObjectType({ description: 'What stands in the way of leaving Portfolio Margin.' })
export class DeactivationBlocker {
  @Field({ description: 'OPEN_LOAN (borrowed or interest owed), NEGATIVE_BALANCE or OPEN_POSITION.' })
  code: string;
  @Field(() => String, { nullable: true, description: 'The asset concerned, when the blocker is about one.' })
  asset: string | null;
  @Field(() => String, { nullable: true, description: 'The futures symbol concerned, for an open position.' })
  symbol: string | null;
  @Field({ description: 'What to do, in words.' })
  message: string;
}

@ObjectType({ description: 'A PORTFOLIO_MARGIN balance moved whole (its net amount) on deactivation.' })
export class DeactivationMove {
  @Field({ description: 'The asset moved.' })
  asset: string;
  @Field(() => DecimalScalar, { description: 'Net balance moved, in the asset.' })
  amount: Decimal;
  @Field(() => WalletType, { description: 'The CLASSIC wallet that receives it.' })
  to: WalletType;
}

@ObjectType()
export class DeactivationResult {
  @Field({ description: 'True when nothing was changed (the default).' })
  dryRun: boolean;
  @Field(() => [DeactivationBlocker], {
    description: 'What must be cleared first; empty when deactivation can run.',
  })
  blockers: DeactivationBlocker[];
  @Field(() => [DeactivationMove], {
    description: 'The balances that move (or would move) out of PORTFOLIO_MARGIN.',
  })
  moves: DeactivationMove[];
  @Field(() => Account, {
    nullable: true,
    description: 'The account in CLASSIC mode after a real run; null for a dry run or when blocked.',
  })
  account: Account | null;
}
