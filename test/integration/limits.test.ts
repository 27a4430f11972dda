import { getIntrospectionQuery } from 'graphql';
import { backends } from '../helpers/backends';
import { code, fundedAccount } from '../helpers/money';
import { closed, nextMessage, rawPost, rawSocket } from '../helpers/raw';
import { startTestApp, wsOutcome, type GqlResult, type TestApp } from '../helpers/test-app';

const PROBE = '{ assets { symbol } }';
const aliases = (n: number, field: string) =>
  `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

/** Every attack runs beside a probe that must still be answered. */
async function withProbe<T>(t: TestApp, attack: Promise<T>): Promise<T> {
  const [result, probe] = await Promise.all([attack, t.gql<{ assets: unknown[] }>(PROBE)]);
  expect(probe.errors).toBeUndefined();
  expect(probe.data!.assets.length).toBeGreaterThan(0);
  return result;
}

describe.each(backends())('operation and transport limits on $name', (backend) => {
  let t: TestApp;
  let token: string;
  let op: string;

  beforeAll(async () => {
    // A long connection-init timeout: masking a 50 MB frame in this process may take longer than 3 s.
    t = await startTestApp(backend, {
      env: { MAX_ERRORS: '5', WS_MAX_SUBSCRIPTIONS: '100', WS_CONNECTION_INIT_TIMEOUT_MS: '60000' },
    });
    op = await t.operatorToken();
    token = (await fundedAccount(t, { USDT: '1000' })).token;
  });
  afterAll(() => t?.stop());

  const expectTooComplex = (res: GqlResult, limit: RegExp) => {
    expect(code(res)).toBe('QUERY_TOO_COMPLEX');
    expect(res.errors![0].message).toMatch(limit);
    expect(res.data ?? null).toBeNull();
  };

  it('answers the standard introspection query', async () => {
    const res = await t.gql<{ __schema: { types: unknown[] } }>(getIntrospectionQuery());
    expect(res.errors).toBeUndefined();
    expect(res.data!.__schema.types.length).toBeGreaterThan(10);
  });

  it('refuses a depth bomb with QUERY_TOO_COMPLEX naming the limit', async () => {
    const deep = `{ __type(name: "Account") { ${'ofType { '.repeat(20)}name${' }'.repeat(20)} } }`;
    expectTooComplex(await withProbe(t, t.gql(deep)), /depth limit of 12.*MAX_QUERY_DEPTH/);
  });

  it('refuses 31 aliases with QUERY_TOO_COMPLEX naming the limit', async () => {
    expectTooComplex(await t.gql(aliases(31, 'assets { symbol }')), /Aliases limit of 30.*MAX_QUERY_ALIASES/);
  });

  it.each([
    ['anonymous', 1_000, /MAX_QUERY_(ALIASES|TOKENS)/],
    ['anonymous', 20_000, /more than 3000 tokens \(MAX_QUERY_TOKENS\)/],
    ['authenticated', 1_000, /MAX_QUERY_(ALIASES|TOKENS)/],
    ['authenticated', 20_000, /more than 3000 tokens \(MAX_QUERY_TOKENS\)/],
  ])('refuses %s %i aliases', async (who, n, limit) => {
    const res = await withProbe(
      t,
      t.gql(aliases(n, 'me { id }'), {}, who === 'authenticated' ? token : null),
    );
    expectTooComplex(res, limit);
  });

  it('refuses 1,000 aliases of liquidationPrices and ledger(first: 200)', async () => {
    expectTooComplex(
      await withProbe(t, t.gql(aliases(1_000, 'me { liquidationPrices { asset } }'), {}, token)),
      /MAX_QUERY_(ALIASES|TOKENS)/,
    );
    expectTooComplex(
      await withProbe(t, t.gql(aliases(1_000, 'me { ledger(first: 200) { nodes { id } } }'), {}, token)),
      /MAX_QUERY_(ALIASES|TOKENS)/,
    );
  });

  it('weighs expensive fields and counts lists by their first, from literals and variables', async () => {
    const page = 'query($n: Int) { accounts(first: $n) { nodes { liquidationPrices { asset } } } }';
    expectTooComplex(
      await t.gql(page, { n: 200 }, op),
      /cost 200401 exceeds the limit of 10000 \(MAX_QUERY_COST\)/,
    );
    expect((await t.gql(page, { n: 5 }, op)).errors).toBeUndefined();
    expectTooComplex(
      await t.gql(aliases(20, 'me { liquidationPrices { asset } }'), {}, token),
      /MAX_QUERY_COST/,
    );
    const ledger = (n: number) => `{ me { ledger(first: ${n}) { nodes { id asset amount kind } } } }`;
    expect((await t.gql(ledger(200), {}, token)).errors).toBeUndefined();
    expectTooComplex(await t.gql(aliases(20, ledger(200).slice(2, -2)), {}, token), /MAX_QUERY_COST/);
  });

  it('returns at most MAX_ERRORS errors', async () => {
    const res = await t.gql<never>(aliases(20, 'account(id: "1") { id }'));
    expect(res.errors).toHaveLength(5);
    expect(code(res)).toBe('UNAUTHENTICATED');
    expect((res as { extensions?: { errorsOmitted?: number } }).extensions?.errorsOmitted).toBe(15);
  });

  it('refuses a 5 MB body, a batch of 1,000 and malformed JSON with BAD_REQUEST', async () => {
    const big = JSON.stringify({ query: PROBE, variables: { pad: 'x'.repeat(5_000_000) } });
    const tooBig = await withProbe(t, rawPost(t.url, big));
    expect(tooBig.status).toBe(413);
    expect(JSON.parse(tooBig.body).errors[0]).toMatchObject({
      extensions: { code: 'BAD_REQUEST' },
      message: expect.stringMatching(/MAX_BODY_BYTES/),
    });

    const batch = JSON.stringify(Array.from({ length: 1_000 }, () => ({ query: PROBE })));
    const batched = await withProbe(t, rawPost(t.url, batch));
    expect(batched.status).toBe(400);
    expect(JSON.parse(batched.body).errors[0].extensions.code).toBe('BAD_REQUEST');

    const malformed = await rawPost(t.url, '{"query": ');
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body).errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('closes a graphql-ws socket that sends a 50 MB message (1009) and stays up', async () => {
    // The server refuses at the frame header, before reading or parsing the 50 MB.
    const message = Buffer.alloc(50_000_000, 0x20);
    const consoleError = jest.spyOn(console, 'error');
    const socket = await rawSocket(t.wsUrl);
    const done = closed(socket);
    socket.send(message);
    const { code: closeCode } = await withProbe(t, done);
    expect(closeCode).toBe(1009);
    // Logged as one structured line, not written by graphql-ws to the console with a stack.
    expect(consoleError).not.toHaveBeenCalled();
    consoleError.mockRestore();
  });

  it('types parse, validation and limit errors over graphql-ws, and the socket stays open', async () => {
    const client = t.wsClient({ authorization: `Bearer ${token}` });
    const syntax = await wsOutcome(client, 'subscription { prices(symbols: ["BTC"]) { ');
    expect(syntax.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const field = await wsOutcome(client, 'subscription { prices(symbols: ["BTC"]) { nope } }');
    expect(field.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const wide = await wsOutcome(client, aliases(31, 'me { id }'));
    expect(wide.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
    const huge = await wsOutcome(client, aliases(20_000, 'me { id }'));
    expect(huge.errors?.[0]).toMatchObject({
      extensions: { code: 'QUERY_TOO_COMPLEX' },
      message: expect.stringMatching(/MAX_QUERY_TOKENS/),
    });
    const costly = await wsOutcome(
      client,
      'query($n: Int) { accounts(first: $n) { nodes { liquidationPrices { asset } } } }',
      { n: 200 },
    );
    expect(costly.errors?.[0].message).toMatch(/MAX_QUERY_COST/);
    const fine = await wsOutcome(client, PROBE);
    expect(fine.errors).toBeUndefined();
  });

  it('refuses the subscriptions of one socket beyond WS_MAX_SUBSCRIPTIONS', async () => {
    // A raw socket: the graphql-ws client hands every message to every subscription (quadratic at 10,000).
    const socket = await rawSocket(t.wsUrl);
    socket.send(JSON.stringify({ type: 'connection_init' }));
    expect((await nextMessage(socket)).type).toBe('connection_ack');
    const codes = new Map<string, number>();
    const refused = new Promise<void>((resolve) => {
      let errors = 0;
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as {
          type: string;
          payload?: { extensions?: { code?: string } }[];
        };
        if (message.type !== 'error') return;
        const c = message.payload?.[0]?.extensions?.code ?? '?';
        codes.set(c, (codes.get(c) ?? 0) + 1);
        if (++errors === 9_900) resolve();
      });
    });
    const query = 'subscription { prices(symbols: ["BTC"]) { symbol } }';
    for (let i = 0; i < 10_000; i++)
      socket.send(JSON.stringify({ id: String(i), type: 'subscribe', payload: { query } }));
    await withProbe(t, refused);
    expect(Object.fromEntries(codes)).toEqual({ BAD_REQUEST: 9_900 });
    socket.close();
  });
});

describe.each(backends())('graphql-ws connection limits on $name', (backend) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(backend, {
      env: {
        WS_CONNECTION_INIT_TIMEOUT_MS: '300',
        WS_MAX_CONNECTIONS_PER_PRINCIPAL: '2',
        WS_MAX_MESSAGES_PER_S: '20',
      },
    });
  });
  afterAll(() => t?.stop());

  it('closes a socket that never sends connection_init after WS_CONNECTION_INIT_TIMEOUT_MS (4408)', async () => {
    const socket = await rawSocket(t.wsUrl);
    expect((await closed(socket)).code).toBe(4408);
  });

  it('closes a socket that sends more than WS_MAX_MESSAGES_PER_S in a second (4429), and no other', async () => {
    const token = await t.userToken('3');
    const open = async () => {
      const socket = await rawSocket(t.wsUrl);
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
      expect((await nextMessage(socket)).type).toBe('connection_ack');
      return socket;
    };
    const calm = await open();
    const flooding = await open();
    const refused = closed(flooding);
    const pongs: unknown[] = [];
    flooding.on('message', (data) => pongs.push(JSON.parse(String(data))));
    for (let i = 0; i < 50; i++) flooding.send(JSON.stringify({ type: 'ping' }));
    expect(await refused).toMatchObject({
      code: 4429,
      reason: expect.stringMatching(/WS_MAX_MESSAGES_PER_S/),
    });
    // Nothing sent beyond the budget (connection_init and 19 pings) was read; answers still on their way when the
    // socket closed are not sent.
    expect(pongs.length).toBeLessThanOrEqual(19);
    calm.send(JSON.stringify({ type: 'ping' }));
    expect((await nextMessage(calm)).type).toBe('pong');
    calm.close();
  });

  it('refuses a principal a socket beyond WS_MAX_CONNECTIONS_PER_PRINCIPAL (4429)', async () => {
    const token = await t.userToken('1');
    const open = async () => {
      const socket = await rawSocket(t.wsUrl);
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
      return socket;
    };
    const first = await open();
    expect((await nextMessage(first)).type).toBe('connection_ack');
    const second = await open();
    expect((await nextMessage(second)).type).toBe('connection_ack');
    const third = await open();
    const refused = await closed(third);
    expect(refused).toMatchObject({ code: 4429, reason: expect.stringMatching(/WS_MAX_CONNECTIONS/) });
    const secondClosed = closed(second);
    second.close();
    await secondClosed;
    const again = await open();
    expect((await nextMessage(again)).type).toBe('connection_ack');
    first.close();
    again.close();
  });
});
