/**
 * Spec section 4, input limits: an amount is a decimal string, > 0, with at most the asset's precision in
 * decimals and at most 10^15; anything else is BAD_USER_INPUT, and a refused input changes nothing (no
 * balance, ledger entry, idempotency record, transfer, position or price). Fuzzed with fast-check over every
 * money mutation and every decimal field of it.
 */
import fc from 'fast-check';
import {
  IdempotencyRecordEntity,
  LedgerEntryEntity,
  PositionEntity,
  PriceEntity,
  TransferEntity,
  WalletBalanceEntity,
} from '../../src/entities';
import { auditLedger } from '../../src/services/ledger/audit';
import { backends } from '../helpers/backends';
import { postRaw, type RawAnswer } from '../helpers/keyed-load';
import {
  BORROW,
  DEPOSIT,
  FILL,
  fundedAccount,
  newKey,
  pmAccount,
  REPAY,
  TRANSFER,
  WITHDRAW,
} from '../helpers/money';
import { startTestApp, type TestApp } from '../helpers/test-app';

const NUM_RUNS = 40;
const PRECISION = 8; // USDT and BTC
const PRICE_DECIMALS = 18; // prices and marks: the money columns' scale

interface Rules {
  /** Decimals allowed. */
  decimals: number;
  /** A fee may be 0; an amount, quantity or price may not. */
  allowZero?: boolean;
  /** A null fee means "the default, 0": not a bad value there. */
  nullable?: boolean;
}

const digits = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });
/** A good positive decimal, the raw material of the bad ones. */
const good = fc
  .tuple(fc.integer({ min: 1, max: 99_999 }), digits(0, PRECISION))
  .map(([int, frac]) => (frac ? `${int}.${frac}` : `${int}`));
const UNICODE_ZEROS = [0x660, 0x6f0, 0x966, 0x9e6, 0xe50, 0xff10, 0x1d7ce, 0x1d7d8];
const SPACES = [' ', '\t', '\n', '\r\n', '\u00a0', '\u2003', '\u200b', '\ufeff'];

/** Every kind of bad value for a decimal field; JSON values other than strings go in through variables. */
function badDecimal(rules: Rules): fc.Arbitrary<unknown> {
  const arbitraries: fc.Arbitrary<unknown>[] = [
    good.map((v) => `-${v}`),
    fc.constantFrom(
      '1e309',
      '-1e309',
      '1e3',
      '2E-8',
      'NaN',
      'Infinity',
      '-Infinity',
      '+Infinity',
      '0x1A',
      '1_000',
      '1,5',
      '1.2.3',
      '--1',
    ),
    // One decimal more than allowed (the last digit non-zero, so the value itself has too many decimals).
    fc
      .tuple(
        fc.integer({ min: 0, max: 99_999 }),
        digits(rules.decimals, rules.decimals + 6),
        fc.integer({ min: 1, max: 9 }),
      )
      .map(([int, frac, last]) => `${int}.${frac}${last}`),
    // Above 10^15.
    fc.bigInt({ min: 10n ** 15n + 1n, max: 10n ** 40n }).map(String),
    fc
      .integer({ min: 1, max: 99_999_999 })
      .map((frac) => `1000000000000000.${String(frac).padStart(8, '0')}`.replace(/0+$/, '')),
    fc.constant(`1${'0'.repeat(80)}`),
    // Not numbers at all (strings made only of ASCII digits and dots are left to the cases above).
    fc.string({ maxLength: 12 }).filter((s) => !/^\+?[0-9.]*$/.test(s)),
    fc.string({ unit: 'binary', maxLength: 6 }).filter((s) => !/^\+?[0-9.]*$/.test(s)),
    // Good numbers in bad clothes: surrounding whitespace, non-ASCII digits.
    fc
      .tuple(good, fc.constantFrom(...SPACES), fc.constantFrom('before', 'after', 'both'))
      .map(([v, space, where]) =>
        where === 'before' ? space + v : where === 'after' ? v + space : space + v + space,
      ),
    fc
      .tuple(fc.integer({ min: 1, max: 99_999 }), fc.constantFrom(...UNICODE_ZEROS), fc.boolean())
      .map(([n, zero, all]) => {
        const s = String(n);
        const swap = (d: string) => String.fromCodePoint(zero + Number(d));
        return all ? s.replace(/\d/g, swap) : s.slice(0, -1) + swap(s.slice(-1));
      }),
    fc.constantFrom('', '١٫٥', '１', '²', '½', 'Ⅴ', '1\u0660'),
    // JSON numbers and other non-strings through variables.
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom<unknown>(0, 1, 1.5, -1, 1e21, 1e308, true, false, [], {}, ['1'], { value: '1' }),
  ];
  if (!rules.allowZero) arbitraries.push(fc.constantFrom('0', '0.0', '0.00000000', '-0', '00', '000.000'));
  if (!rules.nullable) arbitraries.push(fc.constant(null));
  return fc.oneof(...arbitraries);
}

/** Always tried first: one of each kind the spec names. */
function examples(rules: Rules): unknown[] {
  const all: unknown[] = [
    '-1',
    '1e309',
    'NaN',
    'Infinity',
    `1.${'0'.repeat(rules.decimals)}1`,
    '1000000000000001',
    'abc',
    ' 1',
    '1 ',
    '١',
    '',
    5,
    0.5,
  ];
  return rules.allowZero ? all : [...all, '0', null];
}

const AMOUNT: Rules = { decimals: PRECISION };
const PRICE: Rules = { decimals: PRICE_DECIMALS };
const FEE: Rules = { decimals: PRECISION, allowZero: true, nullable: true };

describe.each(backends())('bad decimals on $name', (backend) => {
  let t: TestApp;
  let operator: string;
  let classic: { id: string; token: string };
  let pm: { id: string; token: string };

  /** Everything a money mutation could change. */
  async function state() {
    const ds = t.db.ds;
    const balances = (await ds.getRepository(WalletBalanceEntity).find()).map(
      (b) =>
        `${b.accountId} ${b.wallet} ${b.asset} ${b.free.toFixed()} ${b.locked.toFixed()} ${b.borrowed.toFixed()} ${b.interest.toFixed()}`,
    );
    const positions = (await ds.getRepository(PositionEntity).find()).map(
      (p) => `${p.accountId} ${p.symbol} ${p.quantity.toFixed()} ${p.entryPrice.toFixed()}`,
    );
    const prices = (await ds.getRepository(PriceEntity).find()).map(
      (p) => `${p.symbol} ${p.price.toFixed()}`,
    );
    const served = await t.gql<{ prices: { symbol: string; price: string }[] }>(
      '{ prices { symbol price } }',
    );
    return {
      balances: balances.sort(),
      positions: positions.sort(),
      prices: prices.sort(),
      servedPrices: served.data?.prices,
      ledgerEntries: await ds.getRepository(LedgerEntryEntity).count(),
      idempotencyRecords: await ds.getRepository(IdempotencyRecordEntity).count(),
      transfers: await ds.getRepository(TransferEntity).count(),
    };
  }

  function assertRefused(answer: RawAnswer, bad: unknown): void {
    const body = JSON.parse(answer.text) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
    if (answer.status >= 500 || body.errors?.[0]?.extensions?.code !== 'BAD_USER_INPUT') {
      throw new Error(`${JSON.stringify(bad)} was answered ${answer.status} ${answer.text}`);
    }
  }

  /** Sends the request made for one bad value and checks: BAD_USER_INPUT, nothing changed. */
  async function refusedAndUnchanged(
    bad: unknown,
    send: (bad: unknown) => Promise<RawAnswer>,
  ): Promise<void> {
    const before = await state();
    assertRefused(await send(bad), bad);
    expect(await state()).toEqual(before);
  }

  const check = (rules: Rules, send: (bad: unknown) => Promise<RawAnswer>) =>
    fc.assert(
      fc.asyncProperty(badDecimal(rules), (bad) => refusedAndUnchanged(bad, send)),
      { numRuns: NUM_RUNS, examples: examples(rules).map((bad) => [bad] as [unknown]) },
    );

  beforeAll(async () => {
    t = await startTestApp(backend);
    operator = await t.operatorToken();
    // Rich accounts: a bad value the server mistook for a good one would move money visibly.
    classic = await fundedAccount(t, { USDT: '1000000000', BTC: '1000' });
    pm = await pmAccount(t, { USDT: '10000000', BTC: '100' });
    for (const [asset, amount] of [
      ['USDT', '1000000'],
      ['BTC', '10'],
    ]) {
      const dep = await t.gql(DEPOSIT, { accountId: pm.id, asset, amount, key: newKey('setup') }, operator);
      expect(dep.errors).toBeUndefined();
      const loan = await t.gql(
        BORROW,
        { input: { asset, amount, idempotencyKey: newKey('setup') } },
        pm.token,
      );
      expect(loan.errors).toBeUndefined();
    }
  });
  afterEach(async () => {
    expect((await auditLedger(t.db.ds)).differences).toEqual([]);
  });
  afterAll(() => t?.stop());

  it('transfer: amount', async () => {
    await check(AMOUNT, (amount) =>
      postRaw(
        t.url,
        TRANSFER,
        { input: { asset: 'USDT', amount, from: 'SPOT', to: 'CROSS_MARGIN', idempotencyKey: newKey('fz') } },
        classic.token,
      ),
    );
    await check(AMOUNT, (amount) =>
      postRaw(
        t.url,
        TRANSFER,
        {
          input: { asset: 'BTC', amount, from: 'PORTFOLIO_MARGIN', to: 'SPOT', idempotencyKey: newKey('fz') },
        },
        pm.token,
      ),
    );
  });

  it('borrow: amount', async () => {
    await check(AMOUNT, (amount) =>
      postRaw(t.url, BORROW, { input: { asset: 'USDT', amount, idempotencyKey: newKey('fz') } }, pm.token),
    );
  });

  it('repay: amount', async () => {
    await check(AMOUNT, (amount) =>
      postRaw(t.url, REPAY, { input: { asset: 'BTC', amount, idempotencyKey: newKey('fz') } }, pm.token),
    );
  });

  it('deposit: amount', async () => {
    await check(AMOUNT, (amount) =>
      postRaw(t.url, DEPOSIT, { accountId: classic.id, asset: 'USDT', amount, key: newKey('fz') }, operator),
    );
  });

  it('withdraw: amount', async () => {
    await check(AMOUNT, (amount) =>
      postRaw(t.url, WITHDRAW, { accountId: classic.id, asset: 'BTC', amount, key: newKey('fz') }, operator),
    );
  });

  describe('applyFill', () => {
    const fill = (overrides: Record<string, unknown>) =>
      postRaw(
        t.url,
        FILL,
        {
          input: {
            fillId: newKey('fz'),
            accountId: pm.id,
            symbol: 'BTCUSDT',
            side: 'BUY',
            quantity: '0.01',
            price: '90000',
            fee: '1',
            ...overrides,
          },
        },
        operator,
      );
    it('quantity', async () => {
      await check(AMOUNT, (quantity) => fill({ quantity }));
    });
    it('price', async () => {
      await check(PRICE, (price) => fill({ price }));
    });
    it('fee', async () => {
      await check(FEE, (fee) => fill({ fee }));
    });
  });

  it('publishPrices: price, alone and after a good price in the same call (nothing applied)', async () => {
    const PUBLISH = 'mutation($prices: [PriceInput!]!) { publishPrices(prices: $prices) }';
    await check(PRICE, (price) => postRaw(t.url, PUBLISH, { prices: [{ symbol: 'BTC', price }] }, operator));
    await check(PRICE, (price) =>
      postRaw(
        t.url,
        PUBLISH,
        {
          prices: [
            { symbol: 'ETH', price: '2999.5' },
            { symbol: 'BTCUSDT', price },
          ],
        },
        operator,
      ),
    );
  });

  it('the same requests with good values do go through (the fuzzed fields are the only fault)', async () => {
    const ok = async (answer: Promise<RawAnswer>) => {
      const res = await answer;
      expect(JSON.parse(res.text).errors).toBeUndefined();
    };
    await ok(
      postRaw(
        t.url,
        TRANSFER,
        {
          input: {
            asset: 'USDT',
            amount: '1.5',
            from: 'SPOT',
            to: 'CROSS_MARGIN',
            idempotencyKey: newKey('ok'),
          },
        },
        classic.token,
      ),
    );
    await ok(
      postRaw(
        t.url,
        TRANSFER,
        {
          input: {
            asset: 'BTC',
            amount: '0.5',
            from: 'PORTFOLIO_MARGIN',
            to: 'SPOT',
            idempotencyKey: newKey('ok'),
          },
        },
        pm.token,
      ),
    );
    await ok(
      postRaw(
        t.url,
        BORROW,
        { input: { asset: 'USDT', amount: '10', idempotencyKey: newKey('ok') } },
        pm.token,
      ),
    );
    await ok(
      postRaw(
        t.url,
        REPAY,
        { input: { asset: 'BTC', amount: '0.00000001', idempotencyKey: newKey('ok') } },
        pm.token,
      ),
    );
    await ok(
      postRaw(
        t.url,
        DEPOSIT,
        { accountId: classic.id, asset: 'USDT', amount: '1000000000000000', key: newKey('ok') },
        operator,
      ),
    );
    await ok(
      postRaw(
        t.url,
        WITHDRAW,
        { accountId: classic.id, asset: 'BTC', amount: '0.12345678', key: newKey('ok') },
        operator,
      ),
    );
    await ok(
      postRaw(
        t.url,
        FILL,
        {
          input: {
            fillId: newKey('ok'),
            accountId: pm.id,
            symbol: 'BTCUSDT',
            side: 'BUY',
            quantity: '0.01',
            price: '90000.000000000000000001',
            fee: '0',
          },
        },
        operator,
      ),
    );
    await ok(
      postRaw(t.url, 'mutation { publishPrices(prices: [{ symbol: "ETH", price: "3000" }]) }', {}, operator),
    );
  });
});
