import type { GraphQLSchema } from 'graphql';
import { createPubSub } from '@graphql-yoga/subscription';
import { buildSchema } from 'type-graphql';
import { AccountResolver } from '../resolvers/account.resolver';
import { AccountApiKeysResolver, ApiKeyResolver } from '../resolvers/api-key.resolver';
import { CatalogResolver } from '../resolvers/catalog.resolver';
import { CatalogAdminResolver } from '../resolvers/catalog-admin.resolver';
import { PriceResolver } from '../resolvers/price.resolver';
import { AccountHistoryResolver } from '../resolvers/account-history.resolver';
import { AccountInterestResolver } from '../resolvers/account-interest.resolver';
import { AccountRiskResolver } from '../resolvers/account-risk.resolver';
import { MoneyResolver } from '../resolvers/money.resolver';
import { OperatorResolver } from '../resolvers/operator.resolver';
import { RiskResolver } from '../resolvers/risk.resolver';
import { LiveResolver } from '../resolvers/live.resolver';
import { AtRiskResolver } from '../resolvers/at-risk.resolver';
import { DateTimeScalar } from './scalars';
import './enums';

export const RESOLVERS = [
  AccountResolver,
  AccountRiskResolver,
  AccountHistoryResolver,
  AccountInterestResolver,
  RiskResolver,
  ApiKeyResolver,
  AccountApiKeysResolver,
  CatalogResolver,
  CatalogAdminResolver,
  PriceResolver,
  MoneyResolver,
  OperatorResolver,
  AtRiskResolver,
  LiveResolver,
] as const;

/** The served schema: the contract plus additions (never fewer names). */
export async function buildAppSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: RESOLVERS,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    // Inputs are validated by the services against the domain's rules, not by class-validator.
    validate: false,
    emitSchemaFile: false,
    // Every subscription brings its own `subscribe` over the EventBus; type-graphql still asks for a PubSub.
    pubSub: createPubSub(),
  });
}
