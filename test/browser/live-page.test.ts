/// <reference lib="dom" />
// page.evaluate callbacks run in the browser.
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { openDataSource } from '../../src/db/data-source';

/** Screenshots of every run (gitignored); docs/live-page.png and docs/operator-view.png are two of them, committed by hand. */
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

  const operatorToken = () => app.services.tokens.sign({ role: 'operator', sub: 'browser-test' });
  const eligibleAccount = () => app.demoAccounts.find((a) => a.role === 'eligible')!.id;

  /**
   * The smallest BTC move in `direction` (index and BTCUSDT's mark together, 1% steps up to 50%) that takes the
   * account out of `status`, found by what-if: the prices to publish and the status they lead to.
   */
  async function statusChangingMove(account: string, status: string, direction: 1 | -1) {
    const operator = await operatorToken();
    const { prices } = await gql<{ prices: { symbol: string; price: string }[] }>(
      '{ prices { symbol price } }',
      {},
      operator,
    );
    const price = (symbol: string) => Number(prices.find((p) => p.symbol === symbol)!.price);
    const btc = ['BTC', 'BTCUSDT'];
    for (let pct = 1; pct <= 50; pct++) {
      const change = (direction * pct) / 100;
      const moves = btc.map((symbol) => ({ symbol, change: String(change) }));
      const { account: simulated } = await gql<{ account: { simulateRisk: { status: string } } }>(
        'query($id: ID!, $s: ScenarioInput!) { account(id: $id) { simulateRisk(scenario: $s) { status } } }',
        { id: account, s: { prices: moves } },
        operator,
      );
      if (simulated.simulateRisk.status !== status)
        return {
          prices: btc.map((symbol) => ({ symbol, price: (price(symbol) * (1 + change)).toFixed(2) })),
          status: simulated.simulateRisk.status,
          operator,
        };
    }
    throw new Error(`no BTC move up to 50% takes account ${account} out of ${status}`);
  }

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
    const account = eligibleAccount();
    const operator = await operatorToken();
    const { prices } = await gql<{ prices: { symbol: string; price: string }[] }>(
      '{ prices { symbol price } }',
      {},
      operator,
    );
    await gql(
      'mutation($input: FillInput!) { applyFill(input: $input) { quantity } }',
      {
        input: {
          fillId: 'browser-long',
          accountId: account,
          symbol: 'BTCUSDT',
          side: 'BUY',
          quantity: '10',
          price: prices.find((p) => p.symbol === 'BTCUSDT')!.price,
        },
      },
      operator,
    );
    await page.waitForFunction(() => document.getElementById('gauge')!.dataset.unimmr);
    await page.locator('#positions td', { hasText: 'BTCUSDT' }).waitFor();
    const before = await riskState();

    const fall = await statusChangingMove(account, before.status, -1);
    await gql('mutation($p: [PriceInput!]!) { publishPrices(prices: $p) }', { p: fall.prices }, operator);

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

  it('shows the operator the accounts nearest to liquidation and every status change, live', async () => {
    const account = eligibleAccount();
    await page.click('#sign-out');
    // The server holds the operators' feed (its hook, no sleeping) before a price moves.
    const feedOpen = once(app.services.statusFeed.events, 'open');
    await page.click('#demo-list button[data-role="operator"]');
    await feedOpen;
    const row = (status = '') =>
      page.locator(`#at-risk tr[data-account="${account}"]${status ? `[data-status="${status}"]` : ''}`);
    await row().waitFor();
    const before = (await row().getAttribute('data-status'))!;

    // BTC recovers: the account that fell in the test above leaves its status again.
    const rise = await statusChangingMove(account, before, 1);
    await gql(
      'mutation($p: [PriceInput!]!) { publishPrices(prices: $p) }',
      { p: rise.prices },
      rise.operator,
    );

    const change = page.locator(`#status-feed li[data-account="${account}"][data-to="${rise.status}"]`);
    await change.waitFor();
    expect(await change.locator('[data-status]').first().getAttribute('data-status')).toBe(before);
    await row(rise.status).waitFor();

    // And down again: the newest change comes first in the feed.
    const fall = await statusChangingMove(account, rise.status, -1);
    await gql(
      'mutation($p: [PriceInput!]!) { publishPrices(prices: $p) }',
      { p: fall.prices },
      fall.operator,
    );
    await page.locator(`#status-feed li:first-child[data-to="${fall.status}"]`).waitFor();
    expect(await page.locator('#status-feed li').count()).toBe(2);
    await row(fall.status).waitFor();

    // A row opens the account below the table.
    await row().click();
    await page.waitForFunction(
      (status) => document.getElementById('gauge')!.dataset.status === status,
      fall.status,
    );
    await page.locator('#positions td', { hasText: 'BTCUSDT' }).waitFor();
    await shot('6-operator-view');
  });
});
