import { In, type DataSource } from 'typeorm';
import { AccountEntity, IdempotencyRecordEntity } from '../entities';
import type { AppServices } from '../context';
import { logger } from '../lib/logger';

export interface DemoAccount {
  id: string;
  /** eligible, pm or small: what the account shows. */
  role: DemoRole;
  label: string;
}

const key = (account: string, step: string): string => `demo-${account}-${step}`;

/**
 * Each demo account's first deposit is keyed `demo:<role>`, so a later start finds the demo accounts again
 * (by their idempotency records) and prints their tokens too.
 */
const DEMO_ROLES = {
  eligible: 'CLASSIC, eligible (111,000 USD in margin and futures wallets)',
  pm: 'PORTFOLIO_MARGIN: USDT/BTC/ETH collateral, a USDT loan, BTCUSDT long, ETHUSD_PERP short',
  small: 'CLASSIC, not eligible (500 USDT in SPOT)',
} as const;
export type DemoRole = keyof typeof DEMO_ROLES;
const roleKey = (role: DemoRole): string => `demo:${role}`;

/** The demo accounts of this database, in the order they were made; empty when there are none. */
export async function findDemoAccounts(ds: DataSource): Promise<DemoAccount[]> {
  const roles = Object.keys(DEMO_ROLES) as DemoRole[];
  const records = await ds
    .getRepository(IdempotencyRecordEntity)
    .findBy({ idempotencyKey: In(roles.map(roleKey)) });
  return roles.flatMap((role) => {
    const record = records.find((r) => r.idempotencyKey === roleKey(role));
    return record ? [{ id: record.accountId, role, label: DEMO_ROLES[role] }] : [];
  });
}

/**
 * Demo accounts for the embedded quick start, on an empty database only: an eligible CLASSIC trader, a
 * Portfolio Margin trader with collateral, a loan and UM and CM positions, and a small CLASSIC trader.
 * They are made through the same services as the API's mutations (deposits, transfers, activation with the
 * quiz, a loan, fills), so every rule and ledger posting applies to them too.
 */
export async function seedDemoAccounts(s: AppServices): Promise<void> {
  if ((await s.ds.getRepository(AccountEntity).count()) > 0) {
    const found = (await findDemoAccounts(s.ds)).length;
    const roles = Object.keys(DEMO_ROLES).length;
    if (found < roles) {
      logger.warn(
        `SEED_DEMO: the database already has accounts and ${found} of the ${roles} demo accounts, so nothing was seeded ` +
          `(demo accounts are made on an empty database only). ${RETRY}`,
      );
    }
    return;
  }
  try {
    await seed(s);
  } catch (error) {
    throw new Error(
      `demo seeding stopped: ${error instanceof Error ? error.message : String(error)}. The database keeps the demo ` +
        `data made so far, and later starts will not seed it again. ${RETRY}`,
      { cause: error },
    );
  }
}

const RETRY =
  'To retry, start with SEED_DEMO=true on an empty database (drop it, or point DATABASE_URL or DATA_DIR at a new ' +
  'one); to start without demo accounts, set SEED_DEMO=false.';

async function seed(s: AppServices): Promise<void> {
  const classic = (await s.accountAdmin.create(0)).id;
  await s.funding.deposit(classic, { asset: 'USDT', amount: '65000', idempotencyKey: roleKey('eligible') });
  await s.funding.deposit(classic, { asset: 'BTC', amount: '0.5', idempotencyKey: key(classic, 'btc') });
  await s.funding.deposit(classic, { asset: 'ETH', amount: '2', idempotencyKey: key(classic, 'eth') });
  for (const [asset, amount, to] of [
    ['USDT', '60000', 'USDM_FUTURES'],
    ['BTC', '0.5', 'CROSS_MARGIN'],
    ['ETH', '2', 'COINM_FUTURES'],
  ] as const) {
    await s.transfers.transfer(classic, {
      asset,
      amount,
      from: 'SPOT',
      to,
      idempotencyKey: key(classic, `to-${asset}`),
    });
  }

  const pm = (await s.accountAdmin.create(2)).id;
  for (const [asset, amount] of [
    ['USDT', '42000'],
    ['BTC', '1.5'],
    ['ETH', '20'],
  ] as const) {
    const idempotencyKey = asset === 'USDT' ? roleKey('pm') : key(pm, `deposit-${asset}`);
    await s.funding.deposit(pm, { asset, amount, idempotencyKey });
  }
  await s.activation.activate(
    pm,
    s.catalog.quiz.map((q) => ({ questionId: q.id, optionId: q.answer })),
  );
  for (const [asset, amount] of [
    ['USDT', '40000'],
    ['BTC', '1.5'],
    ['ETH', '20'],
  ] as const) {
    await s.transfers.transfer(pm, {
      asset,
      amount,
      from: 'SPOT',
      to: 'PORTFOLIO_MARGIN',
      idempotencyKey: key(pm, `to-${asset}`),
    });
  }
  await s.loans.borrow(pm, { asset: 'USDT', amount: '10000', idempotencyKey: key(pm, 'loan') });
  await s.fills.applyFill({
    fillId: key(pm, 'btcusdt'),
    accountId: pm,
    symbol: 'BTCUSDT',
    side: 'BUY',
    quantity: '1',
    price: '88000',
  });
  await s.fills.applyFill({
    fillId: key(pm, 'ethusd'),
    accountId: pm,
    symbol: 'ETHUSD_PERP',
    side: 'SELL',
    quantity: '500',
    price: '3100',
  });

  const small = (await s.accountAdmin.create(0)).id;
  await s.funding.deposit(small, { asset: 'USDT', amount: '500', idempotencyKey: roleKey('small') });
}
