import { badInput } from '../../errors';
import { parseAmount, parsePrice, parseRelativeChange } from '../../lib/amount';
import type { Scenario } from '../margin';
import type { Catalog } from '../catalog/catalog';
import type { WalletType } from '../../entities/wallet-balance.entity';

export const MAX_SCENARIO_ITEMS = 50;

export interface ScenarioRequest {
  prices?: { symbol: string; change?: string | null; price?: string | null }[] | null;
  transfers?: { asset: string; amount: string; from: WalletType; to: WalletType }[] | null;
  borrows?: { asset: string; amount: string }[] | null;
  fills?:
    { symbol: string; side: 'BUY' | 'SELL'; quantity: string; price: string; fee?: string | null }[] | null;
}

function limited<T>(items: T[] | null | undefined, field: string): T[] {
  const list = items ?? [];
  if (list.length > MAX_SCENARIO_ITEMS)
    throw badInput(`at most ${MAX_SCENARIO_ITEMS} ${field} per scenario`, field);
  return list;
}

/**
 * A what-if request in the engine's terms, with the same input rules as the real mutations. Transfers must
 * move money into or out of PORTFOLIO_MARGIN, the only wallet whose risk is measured.
 */
export function parseScenario(input: ScenarioRequest, catalog: Catalog): Scenario {
  return {
    prices: limited(input.prices, 'prices').map((p, i) => {
      if (!catalog.isPriceSymbol(p.symbol))
        throw badInput(`prices[${i}]: unknown symbol "${p.symbol}"`, 'prices');
      const hasChange = p.change !== undefined && p.change !== null;
      const hasPrice = p.price !== undefined && p.price !== null;
      if (hasChange === hasPrice)
        throw badInput(`prices[${i}]: give exactly one of change and price`, 'prices');
      return hasChange
        ? { symbol: p.symbol, change: parseRelativeChange(p.change!, `prices[${i}].change`) }
        : { symbol: p.symbol, price: parsePrice(p.price!, `prices[${i}].price`) };
    }),
    transfers: limited(input.transfers, 'transfers').map((t, i) => {
      const asset = catalog.asset(t.asset);
      const amount = parseAmount(t.amount, asset.precision, `transfers[${i}].amount`);
      if (t.to === 'PORTFOLIO_MARGIN' && t.from !== 'PORTFOLIO_MARGIN')
        return { asset: asset.symbol, amount, direction: 'IN' as const };
      if (t.from === 'PORTFOLIO_MARGIN' && t.to !== 'PORTFOLIO_MARGIN')
        return { asset: asset.symbol, amount, direction: 'OUT' as const };
      throw badInput(`transfers[${i}]: a what-if transfer goes into or out of PORTFOLIO_MARGIN`, 'transfers');
    }),
    borrows: limited(input.borrows, 'borrows').map((b, i) => {
      const asset = catalog.asset(b.asset);
      return { asset: asset.symbol, amount: parseAmount(b.amount, asset.precision, `borrows[${i}].amount`) };
    }),
    fills: limited(input.fills, 'fills').map((f, i) => {
      const symbol = catalog.symbol(f.symbol);
      const precision = symbol.contractType === 'CM' ? 0 : catalog.asset(symbol.base).precision;
      return {
        symbol: symbol.symbol,
        fill: {
          side: f.side,
          quantity: parseAmount(f.quantity, precision, `fills[${i}].quantity`),
          price: parsePrice(f.price, `fills[${i}].price`),
          fee: parsePrice(f.fee ?? '0', `fills[${i}].fee`, true),
        },
      };
    }),
  };
}
