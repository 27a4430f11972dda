import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import {
  AccountEntity,
  ApiKeyEntity,
  LedgerEntryEntity,
  PositionEntity,
  PriceEntity,
  WalletBalanceEntity,
} from '../../src/entities';
import { buildAppSchema } from '../../src/schema/build';
import { backends } from '../helpers/backends';
import { pmAccount } from '../helpers/money';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** The contract's error codes, and the one graphql-js gives a document that does not validate. */
const TYPED_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'NOT_ELIGIBLE',
  'QUIZ_FAILED',
  'ALREADY_ACTIVE',
  'PM_NOT_ACTIVE',
  'PM_ACTIVE',
  'INSUFFICIENT_BALANCE',
  'MARGIN_REQUIREMENT',
  'REDUCE_ONLY',
  'BORROW_LIMIT_EXCEEDED',
  'IDEMPOTENCY_KEY_REUSED',
  'UNKNOWN_ASSET',
  'UNKNOWN_SYMBOL',
  'UNSUPPORTED_TRANSFER',
  'PRICE_UNAVAILABLE',
  'RATE_LIMITED',
  'QUERY_TOO_COMPLEX',
  'SERVICE_UNAVAILABLE',
  'BAD_REQUEST',
  'GRAPHQL_VALIDATION_FAILED',
]);
const LEAKS = /\bat \S+:\d+|SELECT |INSERT |UPDATE |\bER_[A-Z_]+|QueryFailedError|node_modules|SQLITE_/;
// About 30 s per backend on the shared 2-core machine; the seed is fixed, so every run checks the same cases.
const RUNS = 40;

/** Strings a client could send anywhere: ids, amounts, symbols, and junk around them. */
const text = fc.oneof(
  fc.constantFrom('1', '2', '6abc', ' 6', '6e0', '-1', '0', '1.5', 'BTC', 'USDT', 'BTCUSDT', 'q1', 'a', ''),
  fc.constantFrom('NaN', '1e400', '99999999999999999999999', "'; DROP TABLE accounts; --", '\u0000', 'é'),
  fc.string({ maxLength: 12 }),
);

function valueFor(type: GraphQLInputType, depth = 0): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return valueFor(type.ofType, depth);
  const nullable = (a: fc.Arbitrary<unknown>) =>
    fc.oneof({ weight: 9, arbitrary: a }, { weight: 1, arbitrary: fc.constant(null) });
  if (isListType(type)) return nullable(fc.array(valueFor(type.ofType, depth + 1), { maxLength: 3 }));
  const named = getNamedType(type);
  if (isEnumType(named)) return nullable(fc.constantFrom(...named.getValues().map((v) => v.name)));
  if (isInputObjectType(named)) {
    if (depth > 3) return fc.constant(null);
    const fields = Object.values(named.getFields());
    return nullable(fc.record(Object.fromEntries(fields.map((f) => [f.name, valueFor(f.type, depth + 1)]))));
  }
  if (named.name === 'Int') return nullable(fc.oneof(fc.integer({ min: -5, max: 300 }), fc.integer()));
  if (named.name === 'Boolean') return nullable(fc.boolean());
  if (named.name === 'Float') return nullable(fc.double({ noNaN: true }));
  return nullable(text);
}

function operationFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): string {
  const vars = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  return `${kind}${vars ? `(${vars})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`;
}

/**
 * Every query and mutation with arguments, called with generated arguments (fixed seed) by an operator and by
 * a user: only the contract's typed errors, never a 5xx, a stack or SQL text, and nothing changes when a call
 * answers with an error.
 */
describe.each(backends())('any argument of any operation on $name', (backend) => {
  let t: TestApp;
  let tokens: string[];
  beforeAll(async () => {
    t = await startTestApp(backend);
    const user = await pmAccount(t, { USDT: '10000', BTC: '1' });
    tokens = [await t.operatorToken(), user.token];
  });
  afterAll(() => t?.stop());

  async function snapshot(): Promise<string> {
    const ds = t.db.ds;
    const rows = await Promise.all([
      ds
        .getRepository(WalletBalanceEntity)
        .find({ order: { accountId: 'ASC', wallet: 'ASC', asset: 'ASC' } }),
      ds.getRepository(PositionEntity).find({ order: { accountId: 'ASC', symbol: 'ASC' } }),
      ds.getRepository(AccountEntity).find({ order: { id: 'ASC' } }),
      ds.getRepository(ApiKeyEntity).find({ order: { id: 'ASC' } }),
      ds.getRepository(PriceEntity).find({ order: { symbol: 'ASC' } }),
      ds.getRepository(LedgerEntryEntity).count(),
    ]);
    return JSON.stringify(rows, (_k, v: unknown) => (v instanceof Date ? v.getTime() : v));
  }

  it(`answers only typed errors and changes nothing on error (${RUNS} runs per operation)`, async () => {
    const schema = await buildAppSchema();
    const operations = (['query', 'mutation'] as const).flatMap((kind) => {
      const root = kind === 'query' ? schema.getQueryType() : schema.getMutationType();
      return Object.values(root?.getFields() ?? {})
        .filter((f) => f.args.length > 0)
        .map((f) => ({ kind, field: f }));
    });
    expect(operations.length).toBeGreaterThan(10);
    for (const [index, { kind, field }] of operations.entries()) {
      const document = operationFor(kind, field);
      const args = fc.record(Object.fromEntries(field.args.map((a) => [a.name, valueFor(a.type)])));
      await fc.assert(
        fc.asyncProperty(args, fc.constantFrom(...tokens), async (variables, token) => {
          const before = kind === 'mutation' ? await snapshot() : '';
          const res = await t.gql(document, variables as Record<string, unknown>, token);
          const body = JSON.stringify(res);
          if (res.status >= 500 || LEAKS.test(body))
            throw new Error(`${document} ${JSON.stringify(variables)}: ${body}`);
          for (const error of res.errors ?? []) {
            if (!TYPED_CODES.has(String(error.extensions?.code)))
              throw new Error(`${document} ${JSON.stringify(variables)}: ${body}`);
          }
          if (kind === 'mutation' && res.errors?.length) expect(await snapshot()).toBe(before);
        }),
        { seed: 20261128 + index, numRuns: RUNS },
      );
    }
  }, 180_000);
});
