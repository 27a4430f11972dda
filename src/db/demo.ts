import { AccountEntity } from '../entities';
import type { AppServices } from '../context';

export interface DemoAccount {
  id: string;
  label: string;
}

const key = (account: string, step: string): string => `demo-${account}-${step}`;

/**
 * Demo accounts for the embedded quick start, on an empty database only: an eligible CLASSIC trader, a
 * Portfolio Margin trader with collateral, a loan and UM and CM positions, and a small CLASSIC trader.
 * They are made through the same services as the API's mutations (deposits, transfers, activation with the
 * quiz, a loan, fills), so every rule and ledger posting applies to them too.
 */
export async function seedDemoAccounts(s: AppServices): Promise<DemoAccount[] | null> {
  if ((await s.ds.getRepository(AccountEntity).count()) > 0) return null;

  const classic = (await s.accountAdmin.create(0)).id;
  await s.funding.deposit(classic, { asset: 'USDT', amount: '65000', idempotencyKey: key(classic, 'usdt') });
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
      idempotencyKey: key(classic, asset),
    });
  }

  const pm = (await s.accountAdmin.create(2)).id;
  for (const [asset, amount] of [
    ['USDT', '42000'],
    ['BTC', '1.5'],
    ['ETH', '20'],
  ] as const) {
    await s.funding.deposit(pm, { asset, amount, idempotencyKey: key(pm, `deposit-${asset}`) });
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
      idempotencyKey: key(pm, asset),
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
  await s.funding.deposit(small, { asset: 'USDT', amount: '500', idempotencyKey: key(small, 'usdt') });

  return [
    { id: classic, label: 'CLASSIC, eligible (111,000 USD in margin and futures wallets)' },
    {
      id: pm,
      label: 'PORTFOLIO_MARGIN: USDT/BTC/ETH collateral, a USDT loan, BTCUSDT long, ETHUSD_PERP short',
    },
    { id: small, label: 'CLASSIC, not eligible (500 USDT in SPOT)' },
  ];
}
