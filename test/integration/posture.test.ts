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
