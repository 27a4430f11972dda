import { dec, type Decimal } from '../../lib/decimal';
import type { Portfolio } from '../margin/types';

/**
 * An account's exact inputs packed into one string, the book's copy for the exact engine: a million
 * accounts of Decimal objects would not fit the heap, their text does (about 30 bytes a field).
 *
 *   asset,free,locked,borrowed,interest;...|symbol,quantity,entryPrice,leverage;...
 */
const FIELD = ',';
const ITEM = ';';
const PART = '|';
const SEPARATORS = /[,;|]/;

const text = (d: Decimal) => (d.isZero() ? '0' : d.toFixed());

export function encodePortfolio(portfolio: Portfolio): string {
  const name = (symbol: string) => {
    if (SEPARATORS.test(symbol))
      throw new RangeError(`symbol ${JSON.stringify(symbol)} cannot be stored in the risk book`);
    return symbol;
  };
  const balances = portfolio.balances.map((b) =>
    [name(b.asset), text(b.free), text(b.locked), text(b.borrowed), text(b.interest)].join(FIELD),
  );
  const positions = portfolio.positions.map((p) =>
    [name(p.symbol), text(p.quantity), text(p.entryPrice), String(p.leverage)].join(FIELD),
  );
  return `${balances.join(ITEM)}${PART}${positions.join(ITEM)}`;
}

export function decodePortfolio(text: string): Portfolio {
  const [balances, positions] = text.split(PART);
  const items = (part: string) => (part === '' ? [] : part.split(ITEM).map((item) => item.split(FIELD)));
  return {
    balances: items(balances).map(([asset, free, locked, borrowed, interest]) => ({
      asset,
      free: dec(free),
      locked: dec(locked),
      borrowed: dec(borrowed),
      interest: dec(interest),
    })),
    positions: items(positions).map(([symbol, quantity, entryPrice, leverage]) => ({
      symbol,
      quantity: dec(quantity),
      entryPrice: dec(entryPrice),
      leverage: Number(leverage),
    })),
  };
}
