import {
  getNamedType,
  getOperationAST,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';

/**
 * The fields whose values are a function of the account row (id, vipLevel, mode, marginCallLevel), the
 * account's balances and positions at its version, the prices at their version and the catalogue at its version,
 * and nothing else: an answer made only of them can be kept for those versions and that row. Every field of the
 * listed types counts (`true`) unless the type lists its own; `Risk.updatedAt` (the read's time) is left out,
 * and so is every Account field that reads other tables (ledger, transfers, loans, interest, API keys).
 */
const ANSWERABLE: Readonly<Record<string, true | ReadonlySet<string>>> = {
  Query: new Set(['me']),
  Account: new Set([
    'id',
    'vipLevel',
    'mode',
    'marginCallLevel',
    'wallets',
    'wallet',
    'positions',
    'risk',
    'activationPreview',
    'eligibility',
    'liquidationPrices',
  ]),
  Wallet: true,
  Balance: true,
  Position: true,
  Risk: new Set([
    'uniMMR',
    'status',
    'accountEquity',
    'actualEquity',
    'accountMaintMargin',
    'accountInitialMargin',
    'availableBalance',
    'maxWithdrawUsd',
    'assets',
    'maxWithdraw',
    'maxBorrowable',
  ]),
  AssetRisk: true,
  Eligibility: true,
  LiquidationPrice: true,
};

/**
 * Whether the operation is a query that reads nothing but answerable fields (`__typename` anywhere too), its
 * fragments included. Unknown fields make it not answerable (validation has already refused them anyway).
 */
export function isAnswerable(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null,
): boolean {
  const operation = getOperationAST(document, operationName);
  if (!operation || operation.operation !== 'query') return false;
  const fragments = document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
  const typeInfo = new TypeInfo(schema);
  let answerable = true;
  visit(
    { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] },
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        if (node.name.value === '__typename') return;
        const parent = typeInfo.getParentType();
        const allowed = parent ? ANSWERABLE[getNamedType(parent).name] : undefined;
        if (allowed === true || allowed?.has(node.name.value)) return;
        answerable = false;
        return false;
      },
    }),
  );
  return answerable;
}
