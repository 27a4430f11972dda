import { Field, ID, ObjectType } from 'type-graphql';
import type { Decimal } from '../lib/decimal';
import { PageInfo } from './money.types';
import { DateTimeScalar, DecimalScalar } from './scalars';

@ObjectType({
  description:
    'One interest charge of a loan segment (one borrow): principal x hourlyInterestRate for each hour in [from, to), ' +
    'each hour rounded up to the asset precision.',
})
export class InterestCharge {
  @Field(() => ID, { description: 'The charge; its order is the order of booking.' })
  id: string;
  @Field({ description: 'The loan asset; principal and interest are amounts of it.' })
  asset: string;
  @Field(() => DecimalScalar, { description: 'The segment principal the hours were charged on.' })
  principal: Decimal;
  @Field(() => DecimalScalar, { description: 'Interest booked by this charge, in the asset.' })
  interest: Decimal;
  @Field(() => DateTimeScalar, { description: 'Start of the first hour charged.' })
  from: Date;
  @Field(() => DateTimeScalar, { description: 'End of the last hour charged.' })
  to: Date;
}

@ObjectType({ description: 'Newest first.' })
export class InterestConnection {
  @Field(() => [InterestCharge], { description: 'Charges, newest first.' })
  nodes: InterestCharge[];
  @Field(() => PageInfo, { description: 'Pass endCursor as `after` for the next (older) page.' })
  pageInfo: PageInfo;
}
