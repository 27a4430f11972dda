import { buildSchema, execute, parse, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { eventStats, subscribeWithPlans } from '../../src/server/event-executor';

/** A subscription schema shaped like the live one: a root resolver, then plain data with every kind of field. */
function schema(): GraphQLSchema {
  const s = buildSchema(`
    enum Status { NORMAL MARGIN_CALL }
    type Asset { asset: String!, value: String, tags: [String!] }
    type Risk { status: Status!, ratio: Float, assets: [Asset!]!, maxWithdraw(asset: String!): String }
    type Update { accountId: ID!, risk: Risk! }
    type Query { ok: Boolean }
    type Subscription { updates(accountId: ID!, scale: Int = 1): Update! }
  `);
  const fields = s.getSubscriptionType()!.getFields();
  // Async, as type-graphql's resolvers with arguments are.
  fields.updates.resolve = async (
    event: { id: string; risk: unknown },
    args: { accountId: string; scale: number },
  ) => ({
    accountId: `${args.accountId}:${event.id}:${args.scale}`,
    risk: event.risk,
  });
  s.getType('Risk')!.toConfig();
  (
    s.getType('Risk') as unknown as { getFields(): Record<string, { resolve?: unknown }> }
  ).getFields().maxWithdraw.resolve = () => 'resolved';
  return s;
}

async function* events(...items: unknown[]) {
  for (const item of items) yield item;
}

async function collect(s: GraphQLSchema, query: string, source: unknown[], variables = {}) {
  const fields = s.getSubscriptionType()!.getFields();
  fields.updates.subscribe = () => events(...source);
  const document = parse(query);
  const stream = await subscribeWithPlans({ schema: s, document, variableValues: variables });
  const before = { ...eventStats };
  const out: ExecutionResult[] = [];
  for await (const result of stream as AsyncIterable<ExecutionResult>) out.push(result);
  const planned = eventStats.planned - before.planned;
  // What graphql-js's own per-event execution gives for the same events.
  const expected = await Promise.all(
    source.map(
      async (event) =>
        (await execute({
          schema: s,
          document,
          rootValue: event,
          variableValues: variables,
        })) as ExecutionResult,
    ),
  );
  return { out: JSON.parse(JSON.stringify(out)), expected: JSON.parse(JSON.stringify(expected)), planned };
}

const event = (id: string, risk: unknown) => ({ id, risk });
const risk = {
  status: 'MARGIN_CALL',
  ratio: 1.42,
  assets: [
    { asset: 'BTC', value: '90000', tags: ['a'] },
    { asset: 'USDT', value: null, tags: null },
  ],
};

describe('subscription events executed by a plan', () => {
  it('gives what graphql-js gives: aliases, __typename, enums, lists, nulls, root arguments from variables', async () => {
    const query = `subscription($id: ID!) { u: updates(accountId: $id, scale: 3) { __typename accountId risk {
      s: status ratio __typename assets { asset v: value tags } } } }`;
    const { out, expected, planned } = await collect(
      schema(),
      query,
      [event('1', risk), event('2', { ...risk, ratio: null })],
      { id: '7' },
    );
    expect(out).toEqual(expected);
    expect(out[0].data.u.accountId).toBe('7:1:3');
    expect(planned).toBe(2);
  });

  it('leaves to graphql-js a field with its own resolver, and an error (a null in a non-null field)', async () => {
    const s = schema();
    const withResolver = `subscription { updates(accountId: "1") { risk { maxWithdraw(asset: "BTC") status } } }`;
    const a = await collect(s, withResolver, [event('1', risk)]);
    expect(a.out).toEqual(a.expected);
    expect(a.out[0].data.updates.risk.maxWithdraw).toBe('resolved');
    expect(a.planned).toBe(0);
    const broken = `subscription { updates(accountId: "1") { risk { status assets { asset } } } }`;
    const b = await collect(s, broken, [
      event('1', { ...risk, assets: [{ asset: null }] }),
      event('2', risk),
    ]);
    expect(b.out).toEqual(b.expected);
    expect(b.out[0].errors).toHaveLength(1);
    expect(b.out[1].errors).toBeUndefined();
    expect(b.planned).toBe(1);
  });

  it('returns the source when the subscription is refused, and ends the source when returned', async () => {
    const s = schema();
    const refused = await subscribeWithPlans({
      schema: s,
      document: parse('subscription { updates { accountId } }'),
    });
    expect(refused).toHaveProperty('errors');
    let ended = false;
    s.getSubscriptionType()!.getFields().updates.subscribe = () => ({
      [Symbol.asyncIterator]() {
        return this;
      },
      next: () => new Promise<IteratorResult<unknown>>(() => undefined),
      return: async () => {
        ended = true;
        return { value: undefined, done: true };
      },
    });
    const stream = (await subscribeWithPlans({
      schema: s,
      document: parse('subscription { updates(accountId: "1") { accountId } }'),
    })) as AsyncIterableIterator<ExecutionResult>;
    await stream.return!();
    expect(ended).toBe(true);
  });
});
