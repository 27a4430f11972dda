/**
 * Shared machinery of the exactly-once tests (concurrency.test.ts, crash.test.ts): keyed money requests sent
 * over plain HTTP, their raw answers, and checks of the database against what the answers imply.
 */
import type { DataSource } from 'typeorm';
import { In } from 'typeorm';
import {
  IdempotencyRecordEntity,
  LedgerEntryEntity,
  PositionEntity,
  TransferEntity,
  WalletBalanceEntity,
} from '../../src/entities';
import { dec, ZERO, type Decimal } from '../../src/lib/decimal';
import { BORROW, FILL, REPAY, TRANSFER } from './money';

/** The stored business refusals of spec section 4 (plus the mode/wallet refusals the server stores too). */
export const STORED_REFUSALS = new Set([
  'INSUFFICIENT_BALANCE',
  'MARGIN_REQUIREMENT',
  'REDUCE_ONLY',
  'BORROW_LIMIT_EXCEEDED',
  'PM_ACTIVE',
  'PM_NOT_ACTIVE',
  'UNSUPPORTED_TRANSFER',
]);

export interface RawAnswer {
  status: number;
  /** The response body exactly as received. */
  text: string;
}

export type OpKind = 'transfer' | 'borrow' | 'repay' | 'fill';

/** One keyed money request: everything needed to send it again and to know what it should have done. */
export interface Op {
  kind: OpKind;
  accountId: string;
  /** idempotencyKey, or fillId for fills. */
  key: string;
  token: string;
  asset: string;
  amount: string;
  from?: string;
  to?: string;
  symbol?: string;
  side?: 'BUY' | 'SELL';
  price?: string;
  fee?: string;
}

export function opRequest(op: Op): { query: string; variables: Record<string, unknown> } {
  switch (op.kind) {
    case 'transfer':
      return {
        query: TRANSFER,
        variables: {
          input: { asset: op.asset, amount: op.amount, from: op.from, to: op.to, idempotencyKey: op.key },
        },
      };
    case 'borrow':
      return {
        query: BORROW,
        variables: { input: { asset: op.asset, amount: op.amount, idempotencyKey: op.key } },
      };
    case 'repay':
      return {
        query: REPAY,
        variables: { input: { asset: op.asset, amount: op.amount, idempotencyKey: op.key } },
      };
    case 'fill':
      return {
        query: FILL,
        variables: {
          input: {
            fillId: op.key,
            accountId: op.accountId,
            symbol: op.symbol,
            side: op.side,
            quantity: op.amount,
            price: op.price,
            fee: op.fee,
          },
        },
      };
  }
}

/** POST /graphql with fetch; rejects only when no HTTP answer arrives (connection refused or reset). */
export async function postRaw(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  token: string | null,
): Promise<RawAnswer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, text: await res.text() };
}

export const sendOp = (url: string, op: Op): Promise<RawAnswer> => {
  const { query, variables } = opRequest(op);
  return postRaw(url, query, variables, op.token);
};

interface ParsedAnswer {
  data?: Record<string, Record<string, string> | null> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export function parseAnswer(answer: RawAnswer): ParsedAnswer {
  try {
    return JSON.parse(answer.text) as ParsedAnswer;
  } catch {
    return { errors: [{ message: `not JSON: ${answer.text.slice(0, 200)}` }] };
  }
}

export type Outcome =
  { ok: true; result: Record<string, string> } | { ok: false; code: string; message: string };

const FIELD: Record<OpKind, string> = {
  transfer: 'transfer',
  borrow: 'borrow',
  repay: 'repay',
  fill: 'applyFill',
};

export function outcomeOf(op: Op, answer: RawAnswer): Outcome {
  const body = parseAnswer(answer);
  const result = body.data?.[FIELD[op.kind]];
  if (!body.errors && result) return { ok: true, result };
  const error = body.errors?.[0];
  return {
    ok: false,
    code: error?.extensions?.code ?? 'NO_CODE',
    message: error?.message ?? answer.text.slice(0, 200),
  };
}

/** Problems of one answer that no request may ever get, whatever it asked. */
export function answerProblems(op: Op, answer: RawAnswer): string[] {
  const problems: string[] = [];
  const where = `${op.kind} ${op.key}`;
  if (answer.status >= 500) problems.push(`${where}: HTTP ${answer.status}: ${answer.text.slice(0, 300)}`);
  if (/INTERNAL_SERVER_ERROR/.test(answer.text))
    problems.push(`${where}: INTERNAL_SERVER_ERROR: ${answer.text.slice(0, 300)}`);
  if (/deadlock|lock wait|ER_LOCK|SQLITE_BUSY|database is locked/i.test(answer.text))
    problems.push(`${where}: lock error leaked: ${answer.text.slice(0, 300)}`);
  const outcome = outcomeOf(op, answer);
  if (!outcome.ok && !STORED_REFUSALS.has(outcome.code))
    problems.push(`${where}: unexpected error ${outcome.code}: ${outcome.message}`);
  return problems;
}

// ---------------------------------------------------------------------------------------------------------
// Database state

const bal = (accountId: string, wallet: string, asset: string) => `${accountId}|${wallet}|${asset}`;
const big = (id: string | number) => BigInt(id);

export interface Snapshot {
  accountIds: string[];
  maxLedgerId: bigint;
  maxTransferId: bigint;
  /** free and liability (borrowed + interest) per account|wallet|asset. */
  balances: Map<string, { free: Decimal; liability: Decimal }>;
  /** account|symbol -> quantity */
  positions: Map<string, Decimal>;
  recordKeys: Set<string>;
}

async function maxId(
  ds: DataSource,
  entity: typeof LedgerEntryEntity | typeof TransferEntity,
): Promise<bigint> {
  const rows = await ds.getRepository(entity).find({ order: { id: 'DESC' }, take: 1 });
  return rows.length ? big(rows[0].id) : 0n;
}

export async function snapshot(ds: DataSource, accountIds: string[]): Promise<Snapshot> {
  const balances = new Map<string, { free: Decimal; liability: Decimal }>();
  for (const b of await ds.getRepository(WalletBalanceEntity).findBy({ accountId: In(accountIds) })) {
    balances.set(bal(b.accountId, b.wallet, b.asset), {
      free: b.free,
      liability: b.borrowed.plus(b.interest),
    });
  }
  const positions = new Map<string, Decimal>();
  for (const p of await ds.getRepository(PositionEntity).findBy({ accountId: In(accountIds) })) {
    positions.set(`${p.accountId}|${p.symbol}`, p.quantity);
  }
  const records = await ds.getRepository(IdempotencyRecordEntity).findBy({ accountId: In(accountIds) });
  return {
    accountIds,
    maxLedgerId: await maxId(ds, LedgerEntryEntity),
    maxTransferId: await maxId(ds, TransferEntity),
    balances,
    positions,
    recordKeys: new Set(records.map((r) => `${r.accountId}|${r.idempotencyKey}`)),
  };
}

/** `account|key` of every idempotency record of the snapshot's accounts (a fill's key without its prefix). */
export async function keysWithRecords(ds: DataSource, before: Snapshot): Promise<Set<string>> {
  const records = await ds
    .getRepository(IdempotencyRecordEntity)
    .findBy({ accountId: In(before.accountIds) });
  return new Set(records.map((r) => `${r.accountId}|${r.idempotencyKey.replace(/^.*\//, '')}`));
}

/**
 * Spec section 1: transfers, withdrawals, loans and repayments never make `free` negative. Replays the `free`
 * entries of every account|wallet|asset in id order (one account's operations are serialised by its lock,
 * so id order is commit order there) and reports every debit of those kinds that left the running sum below
 * zero. Fills and fees may legitimately go negative; a credit into a negative balance is not a violation.
 */
export async function freeWentNegative(ds: DataSource): Promise<string[]> {
  const entries = await ds
    .getRepository(LedgerEntryEntity)
    .find({ where: { field: 'free' }, order: { id: 'ASC' } });
  entries.sort((a, b) => (big(a.id) < big(b.id) ? -1 : big(a.id) > big(b.id) ? 1 : 0));
  const running = new Map<string, Decimal>();
  const problems: string[] = [];
  for (const e of entries) {
    if (e.wallet === 'EXTERNAL') continue;
    const k = bal(e.accountId, e.wallet, e.asset);
    const sum = (running.get(k) ?? ZERO).plus(e.amount);
    running.set(k, sum);
    if (
      ['TRANSFER', 'WITHDRAW', 'BORROW', 'REPAY'].includes(e.kind) &&
      e.amount.isNegative() &&
      sum.isNegative()
    ) {
      problems.push(`ledger entry ${e.id} (${e.kind} ${e.reference}) left ${k} free at ${sum.toFixed()}`);
    }
  }
  return problems;
}

/** Hourly interest rates of the catalogue, for the first hour booked at borrow time. */
export type Rates = Map<string, Decimal>;

/**
 * Exactly-once, checked against the database: `settled` holds every request with the answer that counts for it
 * (its first answer). Returns human-readable violations; empty when every key took effect at most once and
 * the balances are what the successful answers imply.
 */
export async function exactlyOnceViolations(
  ds: DataSource,
  before: Snapshot,
  settled: { op: Op; answer: RawAnswer }[],
  rates: Rates,
): Promise<string[]> {
  const problems: string[] = [];
  const accountIds = before.accountIds;
  const records = await ds.getRepository(IdempotencyRecordEntity).findBy({ accountId: In(accountIds) });
  const transfers = (await ds.getRepository(TransferEntity).findBy({ accountId: In(accountIds) })).filter(
    (t) => big(t.id) > before.maxTransferId,
  );
  const entries = (await ds.getRepository(LedgerEntryEntity).findBy({ accountId: In(accountIds) })).filter(
    (e) => big(e.id) > before.maxLedgerId,
  );
  const positions = await ds.getRepository(PositionEntity).findBy({ accountId: In(accountIds) });
  const rows = await ds.getRepository(WalletBalanceEntity).findBy({ accountId: In(accountIds) });

  const byReference = new Map<string, LedgerEntryEntity[]>();
  for (const e of entries)
    byReference.set(`${e.accountId}|${e.reference}`, [
      ...(byReference.get(`${e.accountId}|${e.reference}`) ?? []),
      e,
    ]);
  const explained = new Set<string>();
  const take = (accountId: string, reference: string): LedgerEntryEntity[] => {
    explained.add(`${accountId}|${reference}`);
    return byReference.get(`${accountId}|${reference}`) ?? [];
  };

  const expectedFree = new Map<string, Decimal>();
  const expectedLiability = new Map<string, Decimal>();
  const addFree = (k: string, amount: Decimal) =>
    expectedFree.set(k, (expectedFree.get(k) ?? before.balances.get(k)?.free ?? ZERO).plus(amount));
  const addLiability = (k: string, amount: Decimal) =>
    expectedLiability.set(
      k,
      (expectedLiability.get(k) ?? before.balances.get(k)?.liability ?? ZERO).plus(amount),
    );
  const expectedPositions = new Map<string, Decimal>();
  const transferKeys = new Set<string>();
  const opKeys = new Set<string>();

  for (const { op, answer } of settled) {
    const where = `${op.kind} ${op.key} (account ${op.accountId})`;
    const outcome = outcomeOf(op, answer);
    opKeys.add(`${op.accountId}|${op.key}`);
    // Idempotency record: one for every answered key (results and stored refusals alike); fills may prefix theirs.
    const own = records.filter(
      (r) =>
        r.accountId === op.accountId &&
        (r.idempotencyKey === op.key || r.idempotencyKey.endsWith(`/${op.key}`)),
    );
    const storedExpected = outcome.ok || STORED_REFUSALS.has(outcome.code) ? 1 : 0;
    if (own.length !== storedExpected)
      problems.push(`${where}: ${own.length} idempotency records, expected ${storedExpected}`);

    const amount = dec(op.amount);
    if (op.kind === 'transfer') {
      transferKeys.add(`${op.accountId}|${op.key}`);
      const rowsOfKey = transfers.filter((t) => t.accountId === op.accountId && t.idempotencyKey === op.key);
      if (rowsOfKey.length !== (outcome.ok ? 1 : 0))
        problems.push(`${where}: ${rowsOfKey.length} transfer rows, expected ${outcome.ok ? 1 : 0}`);
      if (!outcome.ok) continue;
      const row = rowsOfKey[0];
      if (
        row &&
        (String(row.id) !== outcome.result.id ||
          !row.amount.eq(amount) ||
          row.from !== op.from ||
          row.to !== op.to)
      ) {
        problems.push(
          `${where}: transfer row ${row.id} ${row.amount.toFixed()} ${row.from}->${row.to} differs from the answer ${JSON.stringify(outcome.result)}`,
        );
      }
      const legs = take(op.accountId, `transfer:${outcome.result.id}`);
      const out = legs.filter(
        (e) =>
          e.kind === 'TRANSFER' && e.field === 'free' && e.wallet === op.from && e.amount.eq(amount.neg()),
      );
      const into = legs.filter(
        (e) => e.kind === 'TRANSFER' && e.field === 'free' && e.wallet === op.to && e.amount.eq(amount),
      );
      if (legs.length !== 2 || out.length !== 1 || into.length !== 1)
        problems.push(`${where}: ${legs.length} ledger entries ${legsText(legs)}`);
      addFree(bal(op.accountId, op.from!, op.asset), amount.neg());
      addFree(bal(op.accountId, op.to!, op.asset), amount);
    } else if (op.kind === 'borrow') {
      const legs = take(op.accountId, op.key);
      if (!outcome.ok) {
        if (legs.length)
          problems.push(`${where}: refused (${outcome.code}) but has ledger entries ${legsText(legs)}`);
        continue;
      }
      const k = bal(op.accountId, 'PORTFOLIO_MARGIN', op.asset);
      const credit = legs.filter(
        (e) =>
          e.kind === 'BORROW' && e.field === 'free' && e.wallet === 'PORTFOLIO_MARGIN' && e.amount.eq(amount),
      );
      const principal = legs.filter(
        (e) => e.kind === 'BORROW' && e.field === 'borrowed' && e.amount.eq(amount.neg()),
      );
      const interest = legs.filter(
        (e) => e.kind === 'INTEREST' && e.field === 'interest' && e.wallet === 'PORTFOLIO_MARGIN',
      );
      const exact = amount.times(rates.get(op.asset) ?? ZERO);
      if (credit.length !== 1 || principal.length !== 1 || interest.length !== 1 || legs.length !== 4) {
        problems.push(`${where}: ledger entries ${legsText(legs)}`);
      } else if (interest[0].amount.neg().minus(exact).abs().gte(dec('0.00000001'))) {
        problems.push(
          `${where}: first-hour interest ${interest[0].amount.neg().toFixed()}, expected about ${exact.toFixed()}`,
        );
      }
      addFree(k, amount);
      addLiability(k, amount.plus(interest[0] ? interest[0].amount.neg() : ZERO));
    } else if (op.kind === 'repay') {
      const legs = take(op.accountId, op.key);
      if (!outcome.ok) {
        if (legs.length)
          problems.push(`${where}: refused (${outcome.code}) but has ledger entries ${legsText(legs)}`);
        continue;
      }
      const k = bal(op.accountId, 'PORTFOLIO_MARGIN', op.asset);
      const debit = legs.filter((e) => e.kind === 'REPAY' && e.field === 'free' && e.amount.eq(amount.neg()));
      const paid = legs
        .filter((e) => e.kind === 'REPAY' && e.field !== 'free')
        .reduce((s, e) => s.plus(e.amount), ZERO);
      if (debit.length !== 1 || !paid.eq(amount) || legs.length > 3)
        problems.push(`${where}: ledger entries ${legsText(legs)}`);
      addFree(k, amount.neg());
      addLiability(k, amount.neg());
    } else {
      const legs = take(op.accountId, `fill:${op.key}`);
      const pk = `${op.accountId}|${op.symbol}`;
      if (!outcome.ok) {
        if (legs.length)
          problems.push(`${where}: refused (${outcome.code}) but has ledger entries ${legsText(legs)}`);
        continue;
      }
      expectedPositions.set(
        pk,
        (expectedPositions.get(pk) ?? before.positions.get(pk) ?? ZERO).plus(
          op.side === 'BUY' ? amount : amount.neg(),
        ),
      );
      const own = legs.filter((e) => e.wallet !== 'EXTERNAL');
      const fees = own.filter((e) => e.kind === 'FEE');
      const pnl = own.filter((e) => e.kind === 'REALIZED_PNL');
      const fee = dec(op.fee ?? '0');
      if (
        fees.length !== (fee.isZero() ? 0 : 1) ||
        (fees[0] && !fees[0].amount.eq(fee.neg())) ||
        pnl.length > 1 ||
        own.length !== fees.length + pnl.length
      ) {
        problems.push(`${where}: ledger entries ${legsText(legs)}`);
      }
      for (const e of own) addFree(bal(e.accountId, e.wallet, e.asset), e.amount);
    }
  }

  for (const t of transfers) {
    if (!transferKeys.has(`${t.accountId}|${t.idempotencyKey}`))
      problems.push(`transfer row ${t.id} (key ${t.idempotencyKey}) belongs to no request`);
  }
  for (const [reference, legs] of byReference) {
    if (!explained.has(reference))
      problems.push(`ledger entries of ${reference} belong to no successful request: ${legsText(legs)}`);
  }
  for (const r of records) {
    const k = `${r.accountId}|${r.idempotencyKey}`;
    const bare = `${r.accountId}|${r.idempotencyKey.replace(/^.*\//, '')}`;
    if (!before.recordKeys.has(k) && !opKeys.has(k) && !opKeys.has(bare))
      problems.push(`idempotency record ${k} belongs to no request`);
  }
  for (const [pk, quantity] of expectedPositions) {
    const [accountId, symbol] = pk.split('|');
    const row = positions.find((p) => p.accountId === accountId && p.symbol === symbol);
    const actual = row ? row.quantity : ZERO;
    if (!actual.eq(quantity))
      problems.push(`position ${pk}: ${actual.toFixed()}, the successful fills imply ${quantity.toFixed()}`);
  }
  const byKey = new Map(rows.map((b) => [bal(b.accountId, b.wallet, b.asset), b]));
  for (const [k, free] of expectedFree) {
    const actual = byKey.get(k)?.free ?? ZERO;
    if (!actual.eq(free))
      problems.push(`balance ${k} free: ${actual.toFixed()}, the successful answers imply ${free.toFixed()}`);
  }
  for (const [k, liability] of expectedLiability) {
    const row = byKey.get(k);
    const actual = row ? row.borrowed.plus(row.interest) : ZERO;
    if (!actual.eq(liability))
      problems.push(
        `balance ${k} borrowed+interest: ${actual.toFixed()}, the successful answers imply ${liability.toFixed()}`,
      );
  }
  return problems;
}

function legsText(legs: LedgerEntryEntity[]): string {
  return JSON.stringify(legs.map((e) => `${e.kind} ${e.wallet} ${e.field} ${e.amount.toFixed()}`));
}

// ---------------------------------------------------------------------------------------------------------
// Randomness

export { seededRandom as prng } from '../../src/lib/seeded-random';

/** A random positive decimal in [min, max] with at most `decimals` decimals, in plain notation. */
export function randomAmount(rand: () => number, min: number, max: number, decimals: number): string {
  const scaled = dec(min)
    .plus(dec(max - min).times(rand()))
    .toDecimalPlaces(decimals, 1);
  const value = scaled.lte(0) ? dec(1).div(dec(10).pow(decimals)) : scaled;
  return value.toFixed();
}

export const pick = <T>(rand: () => number, items: readonly T[]): T =>
  items[Math.floor(rand() * items.length)];

/** Hourly rates from the public catalogue. */
export async function hourlyRates(url: string): Promise<Rates> {
  const answer = await postRaw(url, '{ assets { symbol hourlyInterestRate } }', {}, null);
  const body = JSON.parse(answer.text) as {
    data: { assets: { symbol: string; hourlyInterestRate: string }[] };
  };
  return new Map(body.data.assets.map((a) => [a.symbol, dec(a.hourlyInterestRate)]));
}

// ---------------------------------------------------------------------------------------------------------
// The random mix of requests

export interface Acct {
  id: string;
  token: string;
  pm: boolean;
}

export function fillOp(rand: () => number, acct: Acct, key: string, operator: string): Op {
  return {
    kind: 'fill',
    accountId: acct.id,
    key,
    token: operator,
    asset: 'USDT',
    symbol: 'BTCUSDT',
    side: rand() < 0.5 ? 'BUY' : 'SELL',
    amount: randomAmount(rand, 0.001, 0.05, 3),
    price: randomAmount(rand, 89_000, 91_000, 1),
    fee: rand() < 0.3 ? '0' : randomAmount(rand, 0.01, 5, 2),
  };
}

/** A Portfolio Margin account: SPOT <-> PORTFOLIO_MARGIN transfers, loans, repayments, fills; ~15% meant to be refused. */
export function pmOp(rand: () => number, acct: Acct, key: string, operator: string): Op {
  const asset = rand() < 0.6 ? 'USDT' : 'BTC';
  const usual = (usdt: number, btc: number) =>
    asset === 'USDT' ? randomAmount(rand, 1, usdt, 8) : randomAmount(rand, 0.0001, btc, 8);
  const base = { accountId: acct.id, key, token: acct.token, asset };
  const r = rand();
  const odd = rand();
  if (r < 0.35) {
    const out = rand() < 0.5;
    const [from, to] = out ? ['PORTFOLIO_MARGIN', 'SPOT'] : ['SPOT', 'PORTFOLIO_MARGIN'];
    if (odd < 0.12)
      return { ...base, kind: 'transfer', from, to, amount: asset === 'USDT' ? '1000000' : '100' }; // INSUFFICIENT_BALANCE
    if (odd < 0.17)
      return { ...base, kind: 'transfer', from: 'SPOT', to: 'CROSS_MARGIN', amount: usual(100, 0.01) }; // PM_ACTIVE
    return { ...base, kind: 'transfer', from, to, amount: usual(3000, 0.2) };
  }
  if (r < 0.6) {
    if (odd < 0.07) return { ...base, kind: 'borrow', asset: 'BTC', amount: '150' }; // BORROW_LIMIT_EXCEEDED
    if (odd < 0.14) return { ...base, kind: 'borrow', asset: 'USDT', amount: '4500000' }; // MARGIN_REQUIREMENT
    return { ...base, kind: 'borrow', amount: usual(5000, 0.1) };
  }
  // Repayments stay far below the debt taken at setup, so that none exceeds what is owed (see the report).
  if (r < 0.8) return { ...base, kind: 'repay', amount: usual(20, 0.002) };
  return fillOp(rand, acct, key, operator);
}

/** A CLASSIC account: transfers among SPOT, CROSS_MARGIN and USDM_FUTURES, fills into USDM_FUTURES, refused loans. */
export function classicOp(rand: () => number, acct: Acct, key: string, operator: string): Op {
  const asset = rand() < 0.6 ? 'USDT' : 'BTC';
  const base = { accountId: acct.id, key, token: acct.token, asset };
  const r = rand();
  const odd = rand();
  if (r < 0.7) {
    const from = pick(rand, ['SPOT', 'CROSS_MARGIN', 'USDM_FUTURES']);
    const to = pick(
      rand,
      ['SPOT', 'CROSS_MARGIN', 'USDM_FUTURES'].filter((w) => w !== from),
    );
    if (odd < 0.12)
      return { ...base, kind: 'transfer', from, to, amount: asset === 'USDT' ? '1000000' : '100' }; // INSUFFICIENT_BALANCE
    if (odd < 0.17)
      return { ...base, kind: 'transfer', asset: 'USDT', from: 'SPOT', to: 'COINM_FUTURES', amount: '1' }; // UNSUPPORTED_TRANSFER
    if (odd < 0.22) return { ...base, kind: 'transfer', from: 'SPOT', to: 'PORTFOLIO_MARGIN', amount: '1' }; // PM_NOT_ACTIVE
    return {
      ...base,
      kind: 'transfer',
      from,
      to,
      amount: asset === 'USDT' ? randomAmount(rand, 1, 2000, 8) : randomAmount(rand, 0.0001, 0.1, 8),
    };
  }
  if (r < 0.88) return fillOp(rand, acct, key, operator);
  return { ...base, kind: 'borrow', asset: 'USDT', amount: '10' }; // PM_NOT_ACTIVE
}
