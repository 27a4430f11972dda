import type { LedgerField } from '../../entities/ledger-entry.entity';
import type { WalletBalanceEntity, WalletType } from '../../entities/wallet-balance.entity';
import type { Movement } from '../ledger/movements';

const FIELDS: LedgerField[] = ['free', 'locked', 'borrowed', 'interest'];

/** A field's value as a signed change of the net balance (borrowed and interest count negative). */
const netSign = (field: LedgerField) => (field === 'borrowed' || field === 'interest' ? -1 : 1);

/** The balance rows a whole-balance move locks: each source and its counterpart in `to`. */
export function moveKeys(
  sources: WalletBalanceEntity[],
  to: WalletType,
): { wallet: WalletType; asset: string }[] {
  return sources.flatMap((b) => [
    { wallet: b.wallet, asset: b.asset },
    { wallet: to, asset: b.asset },
  ]);
}

/**
 * Every field of every source balance into the same field of `to` (activation merges into
 * PORTFOLIO_MARGIN, deactivation returns to CROSS_MARGIN): the sources end at zero, nothing leaves the account.
 */
export function wholeBalanceMovements(sources: WalletBalanceEntity[], to: WalletType): Movement[] {
  return sources.flatMap((b) =>
    FIELDS.flatMap((field) => {
      const net = b[field].times(netSign(field));
      return [
        { wallet: b.wallet, asset: b.asset, field, amount: net.neg() },
        { wallet: to, asset: b.asset, field, amount: net },
      ];
    }),
  );
}
