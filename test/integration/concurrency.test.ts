/**
 * Issue 4, exactly once under concurrency: 32 HTTP clients hammer a few shared accounts with keyed money
 * requests, every request sent twice at the same time under the same key. Afterwards the books must hold,
 * both copies must have received the same bytes, and every key must have taken effect at most once.
 * CONCURRENCY_SEED=<n> repeats a run.
 */
import { auditLedger } from '../../src/services/ledger/audit';
import { backends } from '../helpers/backends';
import {
  answerProblems,
  exactlyOnceViolations,
  freeWentNegative,
  hourlyRates,
  outcomeOf,
  classicOp,
  pick,
  pmOp,
  prng,
  sendOp,
  snapshot,
  type Acct,
  type Op,
  type RawAnswer,
} from '../helpers/keyed-load';
import { BORROW, DEPOSIT, fundedAccount, newKey, pmAccount } from '../helpers/money';
import { startTestApp, type TestApp } from '../helpers/test-app';

const SEED = Number(process.env.CONCURRENCY_SEED ?? Date.now() % 2 ** 31);
const CLIENTS = 32;

describe.each(backends())('exactly once under concurrency on $name', (backend) => {
  // SQLite serialises every transaction on one connection: a lighter load keeps the file fast there.
  const opsPerClient = backend.name === 'mysql' ? 45 : 12;
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(() => t?.stop());

  it(`${CLIENTS} clients x ${opsPerClient} duplicated keyed requests: same answers, each key once, books balanced (seed ${SEED})`, async () => {
    const operator = await t.operatorToken();
    const accounts: Acct[] = [];
    for (let i = 0; i < 4; i++) {
      const a = await pmAccount(t, { USDT: '250000', BTC: '4' });
      for (const [asset, amount] of [
        ['USDT', '20000'],
        ['BTC', '1'],
      ]) {
        const dep = await t.gql(DEPOSIT, { accountId: a.id, asset, amount, key: newKey('setup') }, operator);
        expect(dep.errors).toBeUndefined();
        // A debt far larger than all repayments of the run together.
        const loan = await t.gql(
          BORROW,
          { input: { asset, amount, idempotencyKey: newKey('setup') } },
          a.token,
        );
        expect(loan.errors).toBeUndefined();
      }
      accounts.push({ ...a, pm: true });
    }
    for (let i = 0; i < 3; i++)
      accounts.push({ ...(await fundedAccount(t, { USDT: '40000', BTC: '1.5' })), pm: false });

    const rates = await hourlyRates(t.url);
    const before = await snapshot(
      t.db.ds,
      accounts.map((a) => a.id),
    );
    const plans = Array.from({ length: CLIENTS }, (_, c) => {
      const rand = prng(SEED + 7919 * (c + 1));
      return Array.from({ length: opsPerClient }, (_, i) => {
        const acct = rand() < 0.65 ? pick(rand, accounts.slice(0, 4)) : pick(rand, accounts.slice(4));
        const key = `cc-${c}-${i}`;
        return acct.pm ? pmOp(rand, acct, key, operator) : classicOp(rand, acct, key, operator);
      });
    });

    const sent: { op: Op; answers: RawAnswer[] }[] = [];
    await Promise.all(
      plans.map(async (ops) => {
        for (const op of ops) {
          const answers = await Promise.all([sendOp(t.url, op), sendOp(t.url, op)]);
          sent.push({ op, answers });
        }
      }),
    );

    // No answer may show a server fault or a lock error; every refusal is a stored business refusal.
    expect(sent.flatMap(({ op, answers }) => answers.flatMap((a) => answerProblems(op, a)))).toEqual([]);
    // Two identical requests racing each other get the same answer, byte for byte (data and errors).
    const differing = sent
      .filter(({ answers: [a, b] }) => a.status !== b.status || a.text !== b.text)
      .map(
        ({ op, answers: [a, b] }) => `${op.kind} ${op.key}: ${a.status} ${a.text} <> ${b.status} ${b.text}`,
      );
    expect(differing).toEqual([]);

    // The run did what it was meant to: successes of every kind, and refusals.
    const outcomes = sent.map(({ op, answers }) => ({ kind: op.kind, outcome: outcomeOf(op, answers[0]) }));
    for (const kind of ['transfer', 'borrow', 'repay', 'fill'] as const) {
      expect(outcomes.filter((o) => o.kind === kind && o.outcome.ok).length).toBeGreaterThan(0);
    }
    const refusalCodes = new Set(outcomes.flatMap((o) => (o.outcome.ok ? [] : [o.outcome.code])));
    expect(refusalCodes.size).toBeGreaterThanOrEqual(backend.name === 'mysql' ? 4 : 2);

    // Replayed once more after the storm, every key still answers with its first answer.
    const replays = [...sent];
    const changed: string[] = [];
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (let next = replays.pop(); next; next = replays.pop()) {
          const again = await sendOp(t.url, next.op);
          if (again.text !== next.answers[0].text)
            changed.push(`${next.op.kind} ${next.op.key}: ${next.answers[0].text} then ${again.text}`);
        }
      }),
    );
    expect(changed).toEqual([]);

    // The books, and every position rebuilt from the fill journal.
    const audit = await auditLedger(t.db.ds);
    expect(audit.differences).toEqual([]);
    expect(audit.fills).toBeGreaterThan(0);
    expect(
      await exactlyOnceViolations(
        t.db.ds,
        before,
        sent.map(({ op, answers }) => ({ op, answer: answers[0] })),
        rates,
      ),
    ).toEqual([]);
    expect(await freeWentNegative(t.db.ds)).toEqual([]);
  }, 360_000); // 2,880 requests on a shared 2-core machine: a budget for the run, not a speed assertion

  it('answers a repay beyond the debt the same way when its key comes again after the debt grew', async () => {
    // Spec 4: two identical requests racing each other get the same answer. Copy A of a repay finds no debt
    // and repays nothing (a repay takes min(amount, owed)); a loan commits; copy B of the same request arrives
    // and must get copy A's answer, moving nothing.
    const operator = await t.operatorToken();
    const a = await pmAccount(t, { USDT: '100000' });
    const dep = await t.gql(
      DEPOSIT,
      { accountId: a.id, asset: 'USDT', amount: '1000', key: newKey('setup') },
      operator,
    );
    expect(dep.errors).toBeUndefined();
    const acct = { id: a.id, token: a.token, pm: true };
    const repay: Op = {
      kind: 'repay',
      accountId: acct.id,
      key: newKey('over'),
      token: acct.token,
      asset: 'USDT',
      amount: '50',
    };
    const first = await sendOp(t.url, repay);
    expect(JSON.parse(first.text)).toEqual({
      data: { repay: { asset: 'USDT', borrowed: '0', interest: '0' } },
    });
    const loan = await t.gql(
      BORROW,
      { input: { asset: 'USDT', amount: '100', idempotencyKey: newKey('loan') } },
      a.token,
    );
    expect(loan.errors).toBeUndefined();
    const before = await snapshot(t.db.ds, [acct.id]);
    const second = await sendOp(t.url, repay);
    expect(second.text).toBe(first.text);
    expect(await exactlyOnceViolations(t.db.ds, before, [], new Map())).toEqual([]);
    expect((await auditLedger(t.db.ds)).differences).toEqual([]);
  });
});
