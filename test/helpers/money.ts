import type { TestApp } from './test-app';

export const TRANSFER = `mutation($input: TransferInput!) { transfer(input: $input) { id idempotencyKey asset amount from to createdAt } }`;
export const BORROW = `mutation($input: LoanInput!) { borrow(input: $input) { asset borrowed interest } }`;
export const REPAY = `mutation($input: LoanInput!) { repay(input: $input) { asset borrowed interest } }`;
export const DEPOSIT = `mutation($accountId: ID!, $asset: String!, $amount: Decimal!, $key: String!) {
  deposit(accountId: $accountId, asset: $asset, amount: $amount, idempotencyKey: $key) { asset free net } }`;
export const WITHDRAW = `mutation($accountId: ID!, $asset: String!, $amount: Decimal!, $key: String!) {
  withdraw(accountId: $accountId, asset: $asset, amount: $amount, idempotencyKey: $key) { asset free net } }`;
export const FILL = `mutation($input: FillInput!) { applyFill(input: $input) { symbol quantity entryPrice unrealizedPnl } }`;
export const WALLETS = '{ me { mode wallets { type balances { asset free borrowed interest } } } }';
export const ACTIVATE = `mutation($answers: [QuizAnswerInput!]!) { activatePortfolioMargin(answers: $answers) { id mode } }`;
export const RIGHT_ANSWERS = [
  { questionId: 'q1', optionId: 'a' },
  { questionId: 'q2', optionId: 'b' },
  { questionId: 'q3', optionId: 'b' },
  { questionId: 'q4', optionId: 'b' },
  { questionId: 'q5', optionId: 'a' },
];

let keys = 0;
export const newKey = (prefix = 'k'): string => `${prefix}-${process.pid}-${++keys}`;

/** A CLASSIC account created through the API, funded in SPOT through deposits. */
export async function fundedAccount(
  t: TestApp,
  spot: Record<string, string>,
  vipLevel = 0,
): Promise<{ id: string; token: string }> {
  const op = await t.operatorToken();
  const created = await t.gql<{ createAccount: { id: string } }>(
    'mutation($v: Int) { createAccount(vipLevel: $v) { id } }',
    { v: vipLevel },
    op,
  );
  const id = created.data!.createAccount.id;
  for (const [asset, amount] of Object.entries(spot)) {
    const res = await t.gql(DEPOSIT, { accountId: id, asset, amount, key: newKey('dep') }, op);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
  }
  return { id, token: await t.userToken(id) };
}

export async function transfer(
  t: TestApp,
  token: string,
  asset: string,
  amount: string,
  from: string,
  to: string,
  key = newKey('tr'),
) {
  return t.gql<{ transfer: { id: string; amount: string } }>(
    TRANSFER,
    { input: { asset, amount, from, to, idempotencyKey: key } },
    token,
  );
}

/** A Portfolio Margin account: funded, moved into the futures/margin wallets, activated. */
export async function pmAccount(
  t: TestApp,
  collateral: Record<string, string>,
): Promise<{ id: string; token: string }> {
  const acct = await fundedAccount(t, collateral, 1);
  for (const [asset, amount] of Object.entries(collateral)) {
    const res = await transfer(t, acct.token, asset, amount, 'SPOT', 'CROSS_MARGIN');
    if (res.errors) throw new Error(JSON.stringify(res.errors));
  }
  const res = await t.gql(ACTIVATE, { answers: RIGHT_ANSWERS }, acct.token);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return acct;
}

export const code = (res: { errors?: { extensions?: { code?: string } }[] }): string | undefined =>
  res.errors?.[0]?.extensions?.code;

/** An operator fill that opens or changes a position; throws on any error. */
export async function applyFill(
  t: TestApp,
  op: string,
  accountId: string,
  symbol: string,
  side: 'BUY' | 'SELL',
  quantity: string,
  price: string,
): Promise<void> {
  const res = await t.gql(
    FILL,
    { input: { fillId: newKey('f'), accountId, symbol, side, quantity, price } },
    op,
  );
  if (res.errors) throw new Error(JSON.stringify(res.errors));
}

/** Index (asset) or mark (symbol) prices, published by the operator; throws on any error. */
export async function publishPrices(t: TestApp, op: string, prices: Record<string, string>): Promise<void> {
  const res = await t.gql(
    'mutation($p: [PriceInput!]!) { publishPrices(prices: $p) }',
    { p: Object.entries(prices).map(([symbol, price]) => ({ symbol, price })) },
    op,
  );
  if (res.errors) throw new Error(JSON.stringify(res.errors));
}

/**
 * Resolves once the app's risk book holds the account at its current version (the book follows commits
 * through the account stream, a moment after they are visible to queries).
 */
export async function bookCaughtUp(t: Pick<TestApp, 'app'>, accountId: string): Promise<void> {
  const { ds, riskBook } = t.app.services;
  const rows: { version: unknown }[] = await ds.query('SELECT version FROM account WHERE id = ?', [
    accountId,
  ]);
  const version = Number(rows[0]?.version);
  const held = () => (riskBook.book.versionOf(accountId) ?? -1) >= version;
  if (held()) return;
  await new Promise<void>((resolve) => {
    const check = () => {
      if (!held()) return;
      riskBook.events.off('loaded', check);
      resolve();
    };
    riskBook.events.on('loaded', check);
  });
}
