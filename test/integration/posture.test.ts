import type { AddressInfo } from 'node:net';
import { backends } from '../helpers/backends';
import { mainExit } from '../helpers/main-process';
import { startTestApp, type TestApp } from '../helpers/test-app';

const [embedded] = backends();

describe('bind address (HOST)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(embedded);
  });
  afterAll(() => t?.stop());

  it('listens on loopback by default', () => {
    expect((t.app.server.httpServer.address() as AddressInfo).address).toBe('127.0.0.1');
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
  let listed: TestApp;
  let everyOrigin: TestApp;
  let sameOrigin: TestApp;

  beforeAll(async () => {
    [listed, everyOrigin, sameOrigin] = await Promise.all([
      startTestApp(embedded, { env: { CORS_ORIGINS: 'https://app.example,http://localhost:3000' } }),
      startTestApp(embedded, { env: { CORS_ORIGINS: '*' } }),
      startTestApp(embedded),
    ]);
  });
  afterAll(() => Promise.all([listed, everyOrigin, sameOrigin].map((t) => t?.stop())));

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
    const res = await post(listed, 'https://app.example');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(res.headers.get('vary')).toBe('Origin');
    expect(res.headers.get('access-control-expose-headers')).toMatch(/x-request-id/);
    expect(((await res.json()) as { data: { assets: unknown[] } }).data.assets.length).toBeGreaterThan(0);
  });

  it('gives an origin not listed no CORS headers, so the browser withholds the answer', async () => {
    const res = await post(listed, 'https://evil.example');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('vary')).toBe('Origin');
    const denied = await preflight(listed, 'https://evil.example');
    expect(denied.status).toBe(204);
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
    expect(denied.headers.get('access-control-allow-headers')).toBeNull();
  });

  it('answers the preflight of a listed origin with the methods and headers the API takes', async () => {
    const res = await preflight(listed, 'http://localhost:3000');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    const allowedHeaders = res.headers.get('access-control-allow-headers')!.split(', ');
    expect(allowedHeaders).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-api-key']));
    expect(res.headers.get('access-control-max-age')).toBe('600');
  });

  it('allows every origin with CORS_ORIGINS=*', async () => {
    const res = await post(everyOrigin, 'https://anyone.example');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const pre = await preflight(everyOrigin, 'https://anyone.example');
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('is same-origin only without CORS_ORIGINS', async () => {
    const res = await post(sameOrigin, 'https://app.example');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await preflight(sameOrigin, 'https://app.example');
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
  });
});
