import { buildSchema, execute, parse, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { CoalescingStream } from '../../src/lib/coalescing-stream';
import { eventStats, subscribeWithPlans } from '../../src/server/event-executor';
import { bindEventSink } from '../../src/server/event-sink';

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

  it('makes what a frozen object gives once and shares it; an object that may change is read at each event', async () => {
    const s = schema();
    const frozen = Object.freeze({ asset: 'BTC', value: '90000', tags: null });
    const mutable = { asset: 'ETH', value: '3000', tags: null };
    const shared = { status: 'NORMAL', ratio: 2, assets: [frozen, mutable] };
    s.getSubscriptionType()!.getFields().updates.subscribe = async function* () {
      yield event('1', shared);
      mutable.value = '3100';
      yield event('2', shared);
    };
    const before = eventStats.planned;
    const stream = (await subscribeWithPlans({
      schema: s,
      document: parse('subscription { updates(accountId: "1") { risk { assets { asset value } } } }'),
    })) as AsyncIterable<ExecutionResult<{ updates: { risk: { assets: { value: string }[] } } }>>;
    const lines = [];
    for await (const result of stream) lines.push(result.data!.updates.risk.assets);
    expect(eventStats.planned - before).toBe(2);
    expect(lines[1][0]).toBe(lines[0][0]);
    expect(lines[0][0]).toEqual({ asset: 'BTC', value: '90000' });
    expect(lines[0][1].value).toBe('3000');
    expect(lines[1][1].value).toBe('3100');
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

  describe('written straight to a sink when the source can be pulled', () => {
    /** A context whose sink records each write and holds `ready` until the test releases it. */
    function sinkContext() {
      const written: ExecutionResult[] = [];
      const held: (() => void)[] = [];
      const context = {};
      bindEventSink(context, { write: (result, ready) => (written.push(result), held.push(ready)) });
      return { context, written, release: () => held.splice(0).forEach((ready) => ready()) };
    }

    async function subscribed(source: CoalescingStream<unknown>, context: object) {
      const s = schema();
      s.getSubscriptionType()!.getFields().updates.subscribe = () => source;
      return (await subscribeWithPlans({
        schema: s,
        document: parse('subscription { updates(accountId: "1") { accountId risk { status } } }'),
        contextValue: context,
      })) as AsyncIterableIterator<ExecutionResult>;
    }

    it('writes nothing before graphql-ws asks, then the newest value once the sink is ready again', async () => {
      let closed = false;
      const source = new CoalescingStream<unknown>(0, () => (closed = true));
      const { context, written, release } = sinkContext();
      const stream = await subscribed(source, context);
      source.push(event('1', risk));
      await Promise.resolve();
      expect(written).toHaveLength(0);
      const ended = stream.next();
      await new Promise(setImmediate);
      expect(written.map((r) => r.data)).toEqual([
        { updates: { accountId: '1:1:1', risk: { status: 'MARGIN_CALL' } } },
      ]);
      // The sink has not taken the first: the second and third coalesce into the newest.
      source.push(event('2', risk));
      source.push(event('3', { ...risk, status: 'NORMAL' }));
      await new Promise(setImmediate);
      expect(written).toHaveLength(1);
      release();
      await new Promise(setImmediate);
      expect(written.map((r) => (r.data as { updates: { accountId: string } }).updates.accountId)).toEqual([
        '1:1:1',
        '1:3:1',
      ]);
      await stream.return!();
      expect(closed).toBe(true);
      await expect(ended).resolves.toEqual({ value: undefined, done: true });
      release();
      source.push(event('4', risk));
      await new Promise(setImmediate);
      expect(written).toHaveLength(2);
    });

    it('ends what graphql-ws iterates when the source ends', async () => {
      const source = new CoalescingStream<unknown>(0, () => undefined);
      const { context } = sinkContext();
      const stream = await subscribed(source, context);
      const ended = stream.next();
      await source.return();
      await expect(ended).resolves.toEqual({ value: undefined, done: true });
    });
  });
});
