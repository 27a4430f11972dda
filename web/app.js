import { LiveClient } from '/live-client.js';

const $ = (id) => document.getElementById(id);

const RISK = `uniMMR status accountEquity actualEquity accountMaintMargin accountInitialMargin availableBalance maxWithdrawUsd updatedAt`;
const ACCOUNT = `id mode vipLevel
  wallets { type totalValueUsd balances { asset free locked borrowed interest net valueUsd } }
  positions { symbol contractType quantity entryPrice markPrice notional unrealizedPnl leverage maintenanceMarginUsd initialMarginUsd }
  risk { ${RISK} }
  eligibility { eligible reasons qualifyingBalanceUsd requiredBalanceUsd }
  liquidationPrices { asset currentPrice liquidationPrice }`;
const WALLETS = ['SPOT', 'CROSS_MARGIN', 'USDM_FUTURES', 'COINM_FUTURES', 'PORTFOLIO_MARGIN'];
/** The gauge spans uniMMR 1.0 (empty) to 3.0 (full); no margin at all is full. */
const GAUGE_MIN = 1;
const GAUGE_MAX = 3;

const state = {
  token: sessionStorage.getItem('pm.token'),
  viewer: null,
  accountId: null,
  account: null,
  bands: [],
  symbols: [],
  live: null,
  stopLive: [],
  reloadTimer: null,
  atRiskTimer: null,
  atRiskAsked: 0,
};
/** The operator's table refreshes on every status change and at least this often (ms). */
const AT_RISK_REFRESH_MS = 5000;
const AT_RISK_ROWS = 20;
const FEED_ROWS = 100;

class ApiError extends Error {
  constructor(error) {
    super(error.message);
    this.code = error.extensions?.code;
    this.extensions = error.extensions ?? {};
  }
}

async function gql(query, variables = {}) {
  const headers = { 'content-type': 'application/json' };
  if (state.token) headers.authorization = `Bearer ${state.token}`;
  const res = await fetch('/graphql', {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors?.length) throw new ApiError(body.errors[0]);
  return body.data;
}

/** The claims of a JWT, for showing who is signed in (the server verifies the token, not the page). */
function claims(token) {
  try {
    return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
  } catch {
    return null;
  }
}

const num = (value) => (value === null || value === undefined ? null : Number(value));
function fmt(value, digits = 2) {
  const n = num(value);
  if (n === null) return '-';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
const signClass = (value) => (num(value) > 0 ? 'pos' : num(value) < 0 ? 'neg' : '');
const esc = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const attributes = (attrs = {}) =>
  Object.entries(attrs)
    .map(([name, value]) => ` ${name}="${esc(value)}"`)
    .join('');

function table(el, head, rows) {
  el.innerHTML =
    `<thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.map((r) => `<tr${r.className ? ` class="${r.className}"` : ''}${attributes(r.attributes)}>${r.cells.join('')}</tr>`).join('')}</tbody>`;
}
const td = (text, className = '') => `<td class="${className}">${esc(text)}</td>`;

function figures(el, risk) {
  const rows = [
    ['accountEquity', fmt(risk.accountEquity)],
    ['actualEquity', fmt(risk.actualEquity)],
    ['accountMaintMargin', fmt(risk.accountMaintMargin)],
    ['accountInitialMargin', fmt(risk.accountInitialMargin)],
    ['availableBalance', fmt(risk.availableBalance)],
    ['maxWithdrawUsd', fmt(risk.maxWithdrawUsd)],
    ['uniMMR', risk.uniMMR === null ? 'no margin' : fmt(risk.uniMMR, 4)],
    ['status', risk.status],
  ];
  el.innerHTML = rows.map(([k, v]) => `<dt>${k}</dt><dd data-field="${k}">${esc(v)}</dd>`).join('');
}

// ---------------------------------------------------------------------------------------------- rendering

function renderRisk(risk) {
  const gauge = $('gauge');
  if (!risk) {
    gauge.dataset.status = 'NORMAL';
    $('gauge-fill').style.width = '0%';
    $('unimmr').textContent = 'CLASSIC';
    $('status').textContent = 'no unified margin ratio';
    $('bands').innerHTML = '';
    $('risk-figures').innerHTML = '';
    return;
  }
  const uni = num(risk.uniMMR);
  gauge.dataset.status = risk.status;
  gauge.dataset.unimmr = risk.uniMMR ?? '';
  const share = uni === null ? 1 : Math.min(Math.max((uni - GAUGE_MIN) / (GAUGE_MAX - GAUGE_MIN), 0), 1);
  $('gauge-fill').style.width = `${(share * 100).toFixed(1)}%`;
  $('unimmr').textContent = uni === null ? '∞' : fmt(uni, 4);
  $('status').textContent = risk.status;
  // Distance to each band: how far uniMMR is above its lower bound, and the equity (USD) that may be lost
  // at unchanged margin before the account falls below it.
  const equity = num(risk.accountEquity);
  const mm = num(risk.accountMaintMargin);
  table(
    $('bands'),
    ['band', 'from uniMMR', 'distance', 'equity cushion (USD)'],
    state.bands
      .filter((b) => b.above !== null)
      .map((b) => ({
        className: b.status === risk.status ? 'current' : '',
        cells: [
          td(b.status),
          td(`> ${b.above}`),
          td(
            uni === null ? '∞' : fmt(uni - num(b.above), 4),
            uni !== null && uni <= num(b.above) ? 'neg' : '',
          ),
          td(uni === null ? '∞' : fmt(equity - num(b.above) * mm)),
        ],
      })),
  );
  figures($('risk-figures'), risk);
}

function renderAccount(account) {
  state.account = account;
  $('who').textContent = `account ${account.id} · ${account.mode} · VIP ${account.vipLevel}`;
  renderRisk(account.risk);
  const classic = account.mode === 'CLASSIC';
  const canUpgrade = classic && account.eligibility.eligible && state.viewer?.role === 'user';
  $('upgrade').hidden = !canUpgrade;
  $('not-eligible').hidden = !classic || account.eligibility.eligible;
  $('not-eligible').textContent =
    classic && !account.eligibility.eligible
      ? `Not eligible for Portfolio Margin: ${account.eligibility.reasons.join('; ')}.`
      : '';

  $('wallets').innerHTML = account.wallets
    .map(
      (w) =>
        `<h3 data-wallet="${w.type}">${w.type} <span class="muted">${fmt(w.totalValueUsd)} USD</span></h3>` +
        `<table class="compact"><thead><tr><th>asset</th><th>free</th><th>locked</th><th>borrowed</th><th>interest</th><th>net</th><th>USD</th></tr></thead><tbody>` +
        (w.balances.length
          ? w.balances
              .map(
                (b) =>
                  `<tr>${td(b.asset)}${td(b.free, signClass(b.free))}${td(b.locked)}${td(b.borrowed)}${td(b.interest)}${td(b.net, signClass(b.net))}${td(fmt(b.valueUsd))}</tr>`,
              )
              .join('')
          : '<tr><td colspan="7" class="muted">empty</td></tr>') +
        `</tbody></table>`,
    )
    .join('');

  table(
    $('positions'),
    [
      'symbol',
      'type',
      'quantity',
      'entry',
      'mark',
      'notional',
      'uPnL',
      'leverage',
      'maint. margin USD',
      'initial margin USD',
    ],
    account.positions.map((p) => ({
      cells: [
        td(p.symbol),
        td(p.contractType),
        td(p.quantity, signClass(p.quantity)),
        td(fmt(p.entryPrice)),
        td(fmt(p.markPrice)),
        td(fmt(p.notional, 4)),
        td(fmt(p.unrealizedPnl, 4), signClass(p.unrealizedPnl)),
        td(`${p.leverage}x`),
        td(fmt(p.maintenanceMarginUsd)),
        td(fmt(p.initialMarginUsd)),
      ],
    })),
  );
  table(
    $('liquidation'),
    ['asset', 'index now', 'liquidation price (uniMMR 1.05)', 'distance'],
    account.liquidationPrices.map((l) => ({
      cells: [
        td(l.asset),
        td(fmt(l.currentPrice)),
        td(l.liquidationPrice === null ? 'none' : fmt(l.liquidationPrice)),
        td(
          l.liquidationPrice === null
            ? '-'
            : `${fmt((num(l.liquidationPrice) / num(l.currentPrice) - 1) * 100, 1)}%`,
        ),
      ],
    })),
  );
}

// ---------------------------------------------------------------------------------------------- data

const accountQuery = () =>
  state.viewer.role === 'operator'
    ? gql(`query Account($id: ID!) { account(id: $id) { ${ACCOUNT} } }`, { id: state.accountId }).then(
        (d) => d.account,
      )
    : gql(`query Me { me { ${ACCOUNT} } }`).then((d) => d.me);

async function reload() {
  const account = await accountQuery();
  if (account) renderAccount(account);
}

/** Live risk moves positions' marks too: reload the rest of the account at most every 2 s. */
function scheduleReload() {
  if (state.reloadTimer) return;
  state.reloadTimer = setTimeout(() => {
    state.reloadTimer = null;
    reload().catch(showError);
  }, 2000);
}

/** The page's one socket; `onLive` runs on each (re)connection. */
const liveListeners = new Set();
function liveClient() {
  if (!state.live) {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
    state.live = new LiveClient(
      url,
      () => ({ authorization: `Bearer ${state.token}` }),
      (s) => {
        $('connection').dataset.state = s;
        $('connection').textContent = s;
        if (s === 'live') for (const listener of liveListeners) listener();
      },
    );
  }
  return state.live;
}

function goLive() {
  for (const stop of state.stopLive.splice(0)) stop();
  const variables = { accountId: state.accountId };
  state.stopLive.push(
    liveClient().subscribe(
      `subscription Live($accountId: ID) { marginRatio(accountId: $accountId, minIntervalMs: 250) { risk { ${RISK} } } }`,
      variables,
      (payload) => {
        const risk = payload.data?.marginRatio?.risk;
        if (!risk) return;
        renderRisk(risk);
        scheduleReload();
      },
    ),
    liveClient().subscribe(
      `subscription Wallets($accountId: ID) { walletUpdated(accountId: $accountId) { accountId } }`,
      variables,
      () => scheduleReload(),
    ),
  );
}

async function loadBands() {
  state.bands = (await gql('{ riskBands { status above } }')).riskBands;
}

async function openAccount(accountId) {
  state.accountId = accountId;
  await reload();
  $('account').hidden = false;
  goLive();
}

async function signIn(token) {
  state.token = token.trim();
  const c = claims(state.token);
  if (!c) return showError(new Error('That is not a JWT'));
  state.viewer = { role: c.role, sub: String(c.sub) };
  try {
    if (c.role === 'operator') {
      await gql('{ accounts(first: 1) { nodes { id } } }');
      $('who').textContent = `operator ${c.sub}`;
      operatorLive();
    } else {
      await openAccount(String(c.sub));
    }
  } catch (error) {
    state.token = null;
    return showError(error);
  }
  sessionStorage.setItem('pm.token', state.token);
  $('sign-in').hidden = true;
  $('sign-out').hidden = false;
}

function signOut() {
  sessionStorage.removeItem('pm.token');
  state.live?.close();
  location.reload();
}

// ---------------------------------------------------------------------------------------------- operator

const statusBadge = (status) => `<span class="status" data-status="${esc(status)}">${esc(status)}</span>`;
const time = (iso) => new Date(iso).toLocaleTimeString('en-GB');

/** atRiskAccounts: the accounts with the lowest uniMMR, lowest first; a row opens the account. */
async function refreshAtRisk() {
  // Refreshes overlap (events, the interval): only the newest answer is shown.
  const asked = ++state.atRiskAsked;
  const { atRiskAccounts } = await gql(
    `query AtRisk($first: Int) { atRiskAccounts(first: $first) { accountId risk { uniMMR status accountEquity accountMaintMargin updatedAt } } }`,
    { first: AT_RISK_ROWS },
  );
  if (asked !== state.atRiskAsked) return;
  $('at-risk-empty').hidden = atRiskAccounts.length > 0;
  $('at-risk-at').textContent = `as of ${new Date().toLocaleTimeString('en-GB')}`;
  table(
    $('at-risk'),
    ['account', 'status', 'uniMMR', 'equity USD', 'maint. margin USD'],
    atRiskAccounts.map(({ accountId, risk }) => ({
      attributes: { 'data-account': accountId, 'data-status': risk.status },
      cells: [
        td(accountId),
        `<td>${statusBadge(risk.status)}</td>`,
        td(risk.uniMMR === null ? '∞' : fmt(risk.uniMMR, 4)),
        td(fmt(risk.accountEquity)),
        td(fmt(risk.accountMaintMargin)),
      ],
    })),
  );
}

function updateAtRisk() {
  refreshAtRisk().catch(showError);
}

/** One transition of the operators' feed, newest first. */
function showStatusChange({ accountId, from, to, risk }) {
  $('status-feed-empty').hidden = true;
  const item = document.createElement('li');
  item.dataset.account = accountId;
  item.dataset.to = to;
  item.innerHTML =
    `<span class="muted">${esc(time(risk.updatedAt))}</span> account ${esc(accountId)} ` +
    `${statusBadge(from)} &rarr; ${statusBadge(to)} <span>uniMMR ${esc(risk.uniMMR === null ? '∞' : fmt(risk.uniMMR, 4))}</span>`;
  $('status-feed').prepend(item);
  while ($('status-feed').children.length > FEED_ROWS) $('status-feed').lastElementChild.remove();
}

/** The operator's view: riskStatusChanged without accountId (every account), and the at-risk table. */
function operatorLive() {
  $('operator').hidden = false;
  liveClient().subscribe(
    `subscription StatusFeed { riskStatusChanged { accountId from to risk { uniMMR status updatedAt } } }`,
    {},
    (payload) => {
      const change = payload.data?.riskStatusChanged;
      if (!change) return;
      showStatusChange(change);
      updateAtRisk();
    },
    // SLOW_SUBSCRIBER (more than 64 changes behind) ends the feed: subscribe again, the table re-reads.
    () => setTimeout(operatorFeedAgain, 1000),
  );
  // Transitions while the socket was down are not replayed: the table catches up on each reconnection.
  liveListeners.add(updateAtRisk);
  state.atRiskTimer ??= setInterval(updateAtRisk, AT_RISK_REFRESH_MS);
  updateAtRisk();
}

function operatorFeedAgain() {
  if (!state.live?.closed) operatorLive();
}

// ---------------------------------------------------------------------------------------------- what-if

async function simulate(event) {
  event.preventDefault();
  const prices = [];
  for (const asset of ['BTC', 'ETH']) {
    const pct = Number($(`move-${asset}`).value);
    if (pct === 0) continue;
    const change = (pct / 100).toString();
    // An index move does not move marks: move the asset's index and the marks of its symbols together.
    prices.push({ symbol: asset, change });
    for (const s of state.symbols.filter((s) => s.base === asset)) prices.push({ symbol: s.symbol, change });
  }
  const amount = $('wi-amount').value.trim();
  const transfers = amount
    ? [
        {
          asset: $('wi-asset').value.trim(),
          amount,
          from: $('wi-from').value,
          to: $('wi-to').value,
          idempotencyKey: 'what-if',
        },
      ]
    : [];
  try {
    const data = await gql(
      `query WhatIf($id: ID!, $scenario: ScenarioInput!) { account(id: $id) { simulateRisk(scenario: $scenario) { ${RISK} } } }`,
      { id: state.accountId, scenario: { prices, transfers } },
    );
    figures($('whatif-result'), data.account.simulateRisk);
  } catch (error) {
    $('whatif-result').innerHTML =
      `<dt>refused</dt><dd class="error">${esc(error.code ?? '')}: ${esc(error.message)}</dd>`;
  }
}

// ---------------------------------------------------------------------------------------------- upgrade

async function openUpgrade() {
  $('upgrade-error').hidden = true;
  const data = await gql(
    `query Upgrade($id: ID!) { account(id: $id) { activationPreview { ${RISK} } } activationQuiz { id text options { id text } } }`,
    { id: state.accountId },
  );
  figures($('preview'), data.account.activationPreview);
  $('quiz').innerHTML = data.activationQuiz
    .map(
      (q) =>
        `<fieldset data-question="${esc(q.id)}"><legend>${esc(q.text)}</legend>` +
        q.options
          .map(
            (o) =>
              `<label><input type="radio" name="${esc(q.id)}" value="${esc(o.id)}" required /> ${esc(o.text)}</label>`,
          )
          .join('') +
        `</fieldset>`,
    )
    .join('');
  $('upgrade-dialog').showModal();
}

async function activate(event) {
  if (event.submitter?.value !== 'activate') return;
  event.preventDefault();
  const answers = [...$('quiz').querySelectorAll('fieldset')].map((f) => ({
    questionId: f.dataset.question,
    optionId: f.querySelector('input:checked')?.value ?? '',
  }));
  try {
    await gql(
      `mutation Activate($answers: [QuizAnswerInput!]!) { activatePortfolioMargin(answers: $answers) { id mode } }`,
      { answers },
    );
  } catch (error) {
    $('upgrade-error').hidden = false;
    $('upgrade-error').textContent = `${error.code}: ${error.message}`;
    return;
  }
  $('upgrade-dialog').close();
  await reload();
  goLive();
}

// ---------------------------------------------------------------------------------------------- start

function showError(error) {
  $('connection').textContent = error.code ?? 'error';
  $('connection').title = error.message;
  console.error(error);
}

async function demoAccounts() {
  const res = await fetch('/demo-accounts');
  if (!res.ok) return;
  const { accounts, operator } = await res.json();
  $('demo').hidden = false;
  const entries = [
    ...accounts,
    ...(operator
      ? [
          {
            role: 'operator',
            label: 'every account: the accounts nearest to liquidation and a live feed of status changes',
            token: operator,
          },
        ]
      : []),
  ];
  $('demo-list').innerHTML = entries
    .map(
      (a) =>
        `<li><button type="button" data-role="${esc(a.role)}" data-token="${esc(a.token)}">${a.id ? `Account ${esc(a.id)}` : 'Operator'}</button> ${esc(a.label)}</li>`,
    )
    .join('');
  for (const button of $('demo-list').querySelectorAll('button'))
    button.addEventListener('click', () => void signIn(button.dataset.token));
}

async function start() {
  for (const id of ['wi-from', 'wi-to'])
    $(id).innerHTML = WALLETS.map((w) => `<option>${w}</option>`).join('');
  $('wi-to').value = 'PORTFOLIO_MARGIN';
  for (const asset of ['BTC', 'ETH'])
    $(`move-${asset}`).addEventListener(
      'input',
      (e) => ($(`out-${asset}`).textContent = `${e.target.value}%`),
    );
  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void signIn($('token').value);
  });
  $('sign-out').addEventListener('click', signOut);
  $('whatif').addEventListener('submit', (e) => void simulate(e));
  $('upgrade').addEventListener('click', () => void openUpgrade().catch(showError));
  $('upgrade-form').addEventListener('submit', (e) => void activate(e));
  $('operator-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void openAccount($('operator-account').value.trim()).catch(showError);
  });
  $('at-risk').addEventListener('click', (e) => {
    const row = e.target.closest('tr[data-account]');
    if (row) void openAccount(row.dataset.account).catch(showError);
  });
  await loadBands();
  state.symbols = (await gql('{ symbols { symbol base } }')).symbols;
  await demoAccounts();
  if (state.token) await signIn(state.token);
}

void start();
