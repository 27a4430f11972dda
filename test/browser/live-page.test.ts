/// <reference lib="dom" />
// page.evaluate callbacks run in the browser.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { openDataSource } from '../../src/db/data-source';

/** Screenshots of every run (gitignored); docs/live-page.png is one of them, committed by hand. */
const OUT = path.join(__dirname, '../../test-output/browser');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface RiskState {
  status: string;
  unimmr: string;
  color: string;
}

/** The embedded quick start as `npm start` runs it (SQLite, demo accounts, dev secret), on a free port. */
describe('the live page at / in Chromium', () => {
  let app: App;
  let origin: string;
  let userDataDir: string;
  let browser: BrowserContext;
  let page: Page;

  const gql = async <T>(query: string, variables: Record<string, unknown>, token: string): Promise<T> => {
    const res = await fetch(app.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data: T; errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  const shot = (name: string) => page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
  const riskState = (): Promise<RiskState> =>
    page.evaluate(() => {
      const gauge = document.getElementById('gauge')!;
      return {
        status: gauge.dataset.status ?? '',
        unimmr: gauge.dataset.unimmr ?? '',
        // The badge's colour: the bar's width is animated, its colour is not.
        color: getComputedStyle(document.getElementById('status')!).backgroundColor,
      };
    });

  beforeAll(async () => {
    fs.mkdirSync(OUT, { recursive: true });
    const ds = await openDataSource({ databaseUrl: null, sqliteFile: ':memory:' });
    const config = loadConfig({ PRICE_FEED: 'none', SEED_DEMO: 'true' });
    app = await startApp({ ...config, port: 0, redisPrefix: `browser-${process.pid}` }, { dataSource: ds });
    origin = new URL(app.server.url).origin;
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pm-chromium-'));
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1200, height: 900 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await app?.services.ds.destroy();
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  });

  it('signs in as the eligible demo account, upgrades through the quiz and shows the unified wallet', async () => {
    await page.goto(`${origin}/`);
    await page.click('#demo-list button[data-role="eligible"]');
    await page.locator('#upgrade').waitFor({ state: 'visible' });
    await page.locator('[data-wallet="CROSS_MARGIN"]').waitFor();
    await shot('1-classic-eligible');

    await page.click('#upgrade');
    await page.locator('#quiz fieldset').first().waitFor();
    await page.locator('#preview [data-field="accountEquity"]').waitFor();
    for (const question of app.services.catalog.quiz)
      await page.check(`input[name="${question.id}"][value="${question.answer}"]`);
    await shot('2-upgrade-quiz');
    await page.click('#activate');

    await page.locator('[data-wallet="PORTFOLIO_MARGIN"]').waitFor();
    await page.locator('#upgrade').waitFor({ state: 'hidden' });
    expect(await page.locator('[data-wallet="CROSS_MARGIN"]').count()).toBe(0);
    expect(await page.textContent('#who')).toContain('PORTFOLIO_MARGIN');
    await shot('3-unified-wallet');
  });

  it('moves the gauge and changes the status colour when a price is published', async () => {
    // The account just upgraded holds only collateral: a BTCUSDT long from the trading engine gives it risk.
    const account = app.demoAccounts.find((a) => a.role === 'eligible')!.id;
    const operator = await app.services.tokens.sign({ role: 'operator', sub: 'browser-test' });
    const { prices } = await gql<{ prices: { symbol: string; price: string }[] }>(
      '{ prices { symbol price } }',
      {},
      operator,
    );
    const price = (symbol: string) => Number(prices.find((p) => p.symbol === symbol)!.price);
    await gql(
      'mutation($input: FillInput!) { applyFill(input: $input) { quantity } }',
      {
        input: {
          fillId: 'browser-long',
          accountId: account,
          symbol: 'BTCUSDT',
          side: 'BUY',
          quantity: '10',
          price: String(price('BTCUSDT')),
        },
      },
      operator,
    );
    await page.waitForFunction(() => document.getElementById('gauge')!.dataset.unimmr);
    await page.locator('#positions td', { hasText: 'BTCUSDT' }).waitFor();
    const before = await riskState();

    // The smallest BTC fall (index and BTCUSDT's mark together) that changes the status, found by what-if.
    const btc = ['BTC', 'BTCUSDT'];
    let change = 0;
    for (let pct = 1; pct <= 50 && change === 0; pct++) {
      const moves = btc.map((symbol) => ({ symbol, change: String(-pct / 100) }));
      const { account: simulated } = await gql<{ account: { simulateRisk: { status: string } } }>(
        'query($id: ID!, $s: ScenarioInput!) { account(id: $id) { simulateRisk(scenario: $s) { status } } }',
        { id: account, s: { prices: moves } },
        operator,
      );
      if (simulated.simulateRisk.status !== before.status) change = -pct / 100;
    }
    expect(change).toBeLessThan(0);
    const moved = btc.map((symbol) => ({ symbol, price: (price(symbol) * (1 + change)).toFixed(2) }));
    await gql('mutation($p: [PriceInput!]!) { publishPrices(prices: $p) }', { p: moved }, operator);

    await page.waitForFunction(
      (status) => document.getElementById('gauge')!.dataset.status !== status,
      before.status,
    );
    const after = await riskState();
    expect(Number(after.unimmr)).toBeLessThan(Number(before.unimmr));
    expect(after.color).not.toBe(before.color);
    await shot('4-price-moved');
  });

  it('shows the Portfolio Margin demo account: positions with uPnL, bands and liquidation prices', async () => {
    await page.click('#sign-out');
    await page.click('#demo-list button[data-role="pm"]');
    await page.locator('#connection[data-state="live"]').waitFor();
    await page.locator('#positions td', { hasText: 'ETHUSD_PERP' }).waitFor();
    expect(await page.locator('#liquidation tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('#bands tbody tr').count()).toBe(5);
    await page.fill('#move-BTC', '-30');
    await page.click('#whatif button[type="submit"]');
    await page.locator('#whatif-result [data-field="uniMMR"]').waitFor();
    await shot('5-portfolio-margin-account');
  });
});
