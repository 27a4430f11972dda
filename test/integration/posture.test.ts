import type { AddressInfo } from 'node:net';
import { getIntrospectionQuery } from 'graphql';
import { backends } from '../helpers/backends';
import { mainExit } from '../helpers/main-process';
import { startTestApp, wsOutcome, type GqlResult, type TestApp } from '../helpers/test-app';

const [embedded] = backends();

/** Test apps on the embedded database, one per environment, started together and stopped after the suite. */
function appsWith(...envs: Record<string, string>[]): TestApp[] {
  const apps: TestApp[] = [];
  beforeAll(async () => {
    apps.push(...(await Promise.all(envs.map((env) => startTestApp(embedded, { env })))));
  });
  afterAll(() => Promise.all(apps.map((t) => t.stop())));
  return apps;
}

describe('bind address (HOST)', () => {
  const apps = appsWith({});

  it('listens on loopback by default', () => {
    expect((apps[0].app.server.httpServer.address() as AddressInfo).address).toBe('127.0.0.1');
  });

  it('refuses to start on every interface with the built-in development secret', async () => {
    const { code, output } = await mainExit({ HOST: '0.0.0.0', PRICE_FEED: 'none' });
    expect(code).toBe(2);
    expect(output).toMatch(/Configuration error: HOST=0\.0\.0\.0 is not a loopback address/);
    expect(output).not.toMatch(/ready at/);
  }, 60_000);
});

describe('CORS on /graphql', () => {
  const PROBE = JSON.stringify({ query: '{ assets { symbol } }' });
  const apps = appsWith(
    { CORS_ORIGINS: 'https://app.example,http://localhost:3000' },
    { CORS_ORIGINS: '*' },
    {},
  );
  const [listed, everyOrigin, sameOrigin] = [0, 1, 2].map((i) => () => apps[i]);

  const post = (t: TestApp, origin: string) =>
    fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: PROBE });
  const preflight = (t: TestApp, origin: string) =>
    fetch(t.url, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });

  it('answers a listed origin with its own origin in Access-Control-Allow-Origin', async () => {
    const res = await post(listed(), 'https://app.example');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(res.headers.get('vary')).toBe('Origin');
    expect(res.headers.get('access-control-expose-headers')).toMatch(/x-request-id/);
    expect(((await res.json()) as { data: { assets: unknown[] } }).data.assets.length).toBeGreaterThan(0);
  });

  it('gives an origin not listed no CORS headers, so the browser withholds the answer', async () => {
    const res = await post(listed(), 'https://evil.example');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('vary')).toBe('Origin');
    const denied = await preflight(listed(), 'https://evil.example');
    expect(denied.status).toBe(204);
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
    expect(denied.headers.get('access-control-allow-headers')).toBeNull();
  });

  it('answers the preflight of a listed origin with the methods and headers the API takes', async () => {
    const res = await preflight(listed(), 'http://localhost:3000');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    const allowedHeaders = res.headers.get('access-control-allow-headers')!.split(', ');
    expect(allowedHeaders).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-api-key']));
    expect(res.headers.get('access-control-max-age')).toBe('600');
  });

  it('allows every origin with CORS_ORIGINS=*', async () => {
    const res = await post(everyOrigin(), 'https://anyone.example');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const pre = await preflight(everyOrigin(), 'https://anyone.example');
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('is same-origin only without CORS_ORIGINS', async () => {
    const res = await post(sameOrigin(), 'https://app.example');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await preflight(sameOrigin(), 'https://app.example');
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('production posture (NODE_ENV=production)', () => {
  // A misspelt field of the schema: graphql-js would answer 'Did you mean "assets"?'.
  const TYPO = '{ assetz { symbol } }';
  const apps = appsWith(
    { NODE_ENV: 'production' },
    { NODE_ENV: 'production', ALLOW_INTROSPECTION: 'true' },
    {},
  );
  const [production, allowed, development] = [0, 1, 2].map((i) => () => apps[i]);

  const expectIntrospectionRefused = (res: { errors?: GqlResult['errors']; data?: unknown }) => {
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.[0]).toMatchObject({
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      message: expect.stringMatching(/introspection has been disabled/),
    });
  };

  it('refuses the standard introspection query with a typed error, over HTTP and graphql-ws', async () => {
    const http = await production().gql(getIntrospectionQuery());
    expect(http.status).toBe(400);
    expectIntrospectionRefused(http);
    expectIntrospectionRefused(await production().gql('{ __type(name: "Account") { name } }'));
    expectIntrospectionRefused(await wsOutcome(production().wsClient(), getIntrospectionQuery()));
    // __typename is not introspection of the schema: clients such as Apollo Client add it everywhere.
    expect((await production().gql('{ __typename }')).data).toEqual({ __typename: 'Query' });
  });

  it('leaves field suggestions out of validation errors, over HTTP and graphql-ws', async () => {
    const typo = (await development().gql(TYPO)).errors![0];
    expect(typo.message).toMatch(/Did you mean "assets"\?/);
    for (const res of [await production().gql(TYPO), await wsOutcome(production().wsClient(), TYPO)]) {
      expect(res.errors![0]).toMatchObject({
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        message: 'Cannot query field "assetz" on type "Query".',
      });
      expect(JSON.stringify(res.errors)).not.toMatch(/Did you mean/);
    }
  });

  it('serves the fullest standard introspection query within the operation limits when ALLOW_INTROSPECTION=true', async () => {
    const fullest = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
      oneOf: true,
    });
    for (const res of [await allowed().gql(fullest), await wsOutcome(allowed().wsClient(), fullest)]) {
      expect(res.errors).toBeUndefined();
      expect((res.data as { __schema: { types: unknown[] } }).__schema.types.length).toBeGreaterThan(10);
    }
  });
});
