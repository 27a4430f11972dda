import type { DataSource, EntityManager } from 'typeorm';
import { AccountEntity, PositionEntity } from '../entities';
import type { AccountMode } from '../entities/account.entity';
import type { WalletType } from '../entities/wallet-balance.entity';
import { dec } from '../lib/decimal';
import { EXTERNAL, post, type Movement } from '../services/ledger/movements';

export interface DemoAccount {
  id: string;
  label: string;
}

const HOUR_MS = 3_600_000;

function deposit(wallet: WalletType, asset: string, amount: string): Movement[] {
  return [
    { wallet: EXTERNAL, asset, field: 'free', amount: dec(amount).neg() },
    { wallet, asset, field: 'free', amount: dec(amount) },
  ];
}

/** A loan credits `free` and owes `borrowed`; its first hour of interest is due at once (spec section 4). */
function loan(wallet: WalletType, asset: string, amount: string, firstHourInterest: string): Movement[] {
  return [
    { wallet, asset, field: 'free', amount: dec(amount) },
    { wallet, asset, field: 'borrowed', amount: dec(amount).neg() },
    { wallet, asset, field: 'interest', amount: dec(firstHourInterest).neg() },
    { wallet: EXTERNAL, asset, field: 'free', amount: dec(firstHourInterest) },
  ];
}

async function createAccount(
  em: EntityManager,
  vipLevel: number,
  mode: AccountMode,
  at: Date,
): Promise<string> {
  const account = await em.save(AccountEntity, {
    vipLevel,
    mode,
    createdAt: at,
    activatedAt: mode === 'CLASSIC' ? null : at,
  });
  return account.id;
}

/**
 * Demo accounts for the embedded quick start, on an empty database only: an eligible CLASSIC trader, a
 * Portfolio Margin trader with collateral, a loan and UM and CM positions, and a small CLASSIC trader.
 * Every balance arrives through balanced ledger postings, so the ledger audit holds from the start.
 */
export async function seedDemoAccounts(ds: DataSource): Promise<DemoAccount[] | null> {
  if ((await ds.getRepository(AccountEntity).count()) > 0) return null;
  const at = new Date();
  return ds.transaction(async (em) => {
    const classic = await createAccount(em, 0, 'CLASSIC', at);
    await post(em, { accountId: classic, kind: 'DEPOSIT', reference: 'demo-seed', at }, [
      ...deposit('SPOT', 'USDT', '5000'),
      ...deposit('USDM_FUTURES', 'USDT', '60000'),
      ...deposit('CROSS_MARGIN', 'BTC', '0.5'),
      ...deposit('COINM_FUTURES', 'ETH', '2'),
    ]);

    const pm = await createAccount(em, 2, 'PORTFOLIO_MARGIN', at);
    await post(em, { accountId: pm, kind: 'DEPOSIT', reference: 'demo-seed', at }, [
      ...deposit('SPOT', 'USDT', '2000'),
      ...deposit('PORTFOLIO_MARGIN', 'USDT', '40000'),
      ...deposit('PORTFOLIO_MARGIN', 'BTC', '1.5'),
      ...deposit('PORTFOLIO_MARGIN', 'ETH', '20'),
    ]);
    await post(
      em,
      { accountId: pm, kind: 'BORROW', reference: 'demo-seed-loan', at },
      loan('PORTFOLIO_MARGIN', 'USDT', '10000', '0.045'),
    );
    await em.update(
      'wallet_balance',
      { accountId: pm, wallet: 'PORTFOLIO_MARGIN', asset: 'USDT' },
      { interestChargedUntil: new Date(at.getTime() + HOUR_MS) },
    );
    await em.insert(PositionEntity, [
      {
        accountId: pm,
        symbol: 'BTCUSDT',
        quantity: dec('1'),
        entryPrice: dec('88000'),
        leverage: 10,
        updatedAt: at,
      },
      {
        accountId: pm,
        symbol: 'ETHUSD_PERP',
        quantity: dec('-500'),
        entryPrice: dec('3100'),
        leverage: 10,
        updatedAt: at,
      },
    ]);

    const small = await createAccount(em, 0, 'CLASSIC', at);
    await post(
      em,
      { accountId: small, kind: 'DEPOSIT', reference: 'demo-seed', at },
      deposit('SPOT', 'USDT', '500'),
    );

    return [
      { id: classic, label: 'CLASSIC, eligible (111,000 USD in margin and futures wallets)' },
      {
        id: pm,
        label: 'PORTFOLIO_MARGIN: USDT/BTC/ETH collateral, a USDT loan, BTCUSDT long, ETHUSD_PERP short',
      },
      { id: small, label: 'CLASSIC, not eligible (500 USDT in SPOT)' },
    ];
  });
}
