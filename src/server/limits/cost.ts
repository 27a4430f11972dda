import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { GraphQLError, isObjectType, type DocumentNode, type GraphQLSchema } from 'graphql';
import { tooComplex } from '../../errors';

/**
 * Declared weights of fields whose resolvers cost far more than reading a row (every other field costs 1).
 * The unit is about one plain field; liquidationPrices solves a root search per asset (about 4-9 ms).
 */
export const FIELD_WEIGHTS: Readonly<Record<string, number>> = {
  'Account.liquidationPrices': 1000,
  'Account.simulateRisk': 100,
  'Query.atRiskAccounts': 20,
  'Account.risk': 20,
  'Account.activationPreview': 20,
  'Account.eligibility': 10,
  'Risk.maxWithdraw': 20,
};

/** A document whose cost walk would visit more nodes than this is too complex (fragment fan-out). */
const MAX_COST_NODES = 10_000;

/** Throws at start when a declared weight names no field of the schema, so the table cannot rot. */
export function assertWeightsMatch(schema: GraphQLSchema): void {
  for (const name of Object.keys(FIELD_WEIGHTS)) {
    const [typeName, fieldName] = name.split('.');
    const type = schema.getType(typeName);
    if (!isObjectType(type) || !type.getFields()[fieldName])
      throw new Error(`FIELD_WEIGHTS names ${name}, which the schema does not have`);
  }
}

/** weight + first x (cost of one element): a list asked for `first` items costs its items' cost that often. */
const estimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const weight = FIELD_WEIGHTS[`${type.name}.${field.name}`] ?? 1;
  const first = typeof args.first === 'number' && args.first > 0 ? args.first : 1;
  return weight + first * childComplexity;
};

/** Costs remembered per document, for this many variable sets each (the most polled queries have none). */
const COSTS_PER_DOCUMENT = 32;
const remembered = new WeakMap<DocumentNode, Map<string, number | null>>();

/**
 * The cost of the operation, or null when its variables do not coerce (execution then reports them).
 * Throws QUERY_TOO_COMPLEX when the walk itself would be too long. The walk is a tenth of a polled read's CPU,
 * and Apollo hands every request of one query text the same parsed document, so the cost is remembered per
 * document, operation name and variables (a pure function of them and the schema).
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): number | null {
  let costs = remembered.get(document);
  if (!costs) remembered.set(document, (costs = new Map()));
  const key = `${operationName ?? ''}\u0000${variables === undefined ? '' : JSON.stringify(variables)}`;
  const known = costs.get(key);
  if (known !== undefined) return known;
  const cost = walkCost(schema, document, variables, operationName);
  if (costs.size < COSTS_PER_DOCUMENT) costs.set(key, cost);
  return cost;
}

function walkCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): number | null {
  try {
    return getComplexity({
      schema,
      query: document,
      variables,
      operationName,
      estimators: [estimator],
      maxQueryNodes: MAX_COST_NODES,
    });
  } catch (error) {
    if (error instanceof GraphQLError && /maximum allowed number of nodes/.test(error.message))
      throw tooComplex(`Query visits more than ${MAX_COST_NODES} fields (fragment spreads counted)`);
    if (error instanceof GraphQLError) return null;
    throw error;
  }
}

/** QUERY_TOO_COMPLEX naming the limit when the operation costs more than `maxCost`. */
export function assertCost(cost: number | null, maxCost: number): void {
  if (cost !== null && cost > maxCost)
    throw tooComplex(`Query cost ${cost} exceeds the limit of ${maxCost} (MAX_QUERY_COST)`);
}
