import { dec } from '../../../src/lib/decimal';
import { applyFill, type FillSpec, type PositionInput, type SymbolSpec } from '../../../src/services/margin';
import { params, position } from './fixtures';

const spec = (symbol: string): SymbolSpec => {
  const s = params.symbols.get(symbol);
  if (!s) throw new Error(symbol);
  return s;
};
const um = spec('BTCUSDT');
const cm = spec('BTCUSD_PERP');
const fill = (side: 'BUY' | 'SELL', quantity: string, price: string, fee = '0'): FillSpec => ({
  side,
  quantity: dec(quantity),
  price: dec(price),
  fee: dec(fee),
});
const view = (p: PositionInput | null) =>
  p && {
    symbol: p.symbol,
    quantity: p.quantity.toFixed(),
    entryPrice: p.entryPrice.toFixed(),
    leverage: p.leverage,
  };

describe('applyFill', () => {
  it('opens a position at the fill price with the symbol default leverage', () => {
    const out = applyFill(null, um, fill('SELL', '2', '100', '0.1'));
    expect(view(out.position)).toEqual({
      symbol: 'BTCUSDT',
      quantity: '-2',
      entryPrice: '100',
      leverage: 10,
    });
    expect(out.realizedPnl.isZero()).toBe(true);
    expect(out.fee.toFixed()).toBe('0.1');
    expect(out.increasesExposure).toBe(true);
  });

  it('increases UM at the quantity-weighted mean and keeps the leverage', () => {
    const out = applyFill(position('BTCUSDT', '1', '100', 20), um, fill('BUY', '3', '200'));
    expect(view(out.position)).toEqual({ symbol: 'BTCUSDT', quantity: '4', entryPrice: '175', leverage: 20 });
    expect(out.increasesExposure).toBe(true);
  });

  it('increases CM at the harmonic mean', () => {
    const out = applyFill(position('BTCUSD_PERP', '100', '50000'), cm, fill('BUY', '100', '40000'));
    expect(out.position?.entryPrice.eq(dec(200).div(dec('0.0045')))).toBe(true);
  });

  it('partial close realises closed x (exit - entry) and keeps the entry', () => {
    const out = applyFill(position('BTCUSDT', '4', '175'), um, fill('SELL', '1', '200'));
    expect(view(out.position)).toEqual({ symbol: 'BTCUSDT', quantity: '3', entryPrice: '175', leverage: 10 });
    expect(out.realizedPnl.toFixed()).toBe('25');
    expect(out.increasesExposure).toBe(false);
  });

  it('a short gains when closed lower', () => {
    const out = applyFill(position('BTCUSDT', '-2', '100'), um, fill('BUY', '0.5', '90'));
    expect(out.realizedPnl.toFixed()).toBe('5');
    expect(out.position?.quantity.toFixed()).toBe('-1.5');
  });

  it('closing to flat returns no position', () => {
    const out = applyFill(position('BTCUSDT', '-2', '100'), um, fill('BUY', '2', '110'));
    expect(out.position).toBeNull();
    expect(out.realizedPnl.toFixed()).toBe('-20');
    expect(out.increasesExposure).toBe(false);
  });

  it('a flip closes the old side fully and opens the rest at the fill price', () => {
    const out = applyFill(position('BTCUSDT', '3', '100', 5), um, fill('SELL', '5', '120'));
    expect(view(out.position)).toEqual({ symbol: 'BTCUSDT', quantity: '-2', entryPrice: '120', leverage: 5 });
    expect(out.realizedPnl.toFixed()).toBe('60');
    expect(out.increasesExposure).toBe(true);
  });

  it('a flip to a smaller opposite position still increases exposure (the sign flips)', () => {
    const out = applyFill(position('BTCUSDT', '3', '100'), um, fill('SELL', '4', '100'));
    expect(out.position?.quantity.toFixed()).toBe('-1');
    expect(out.increasesExposure).toBe(true);
  });

  it('CM close realises contracts x face x (1/entry - 1/exit) in coin', () => {
    const out = applyFill(position('BTCUSD_PERP', '100', '50000'), cm, fill('SELL', '40', '40000'));
    expect(out.realizedPnl.toFixed()).toBe('-0.02');
    expect(out.position?.entryPrice.toFixed()).toBe('50000');
    const short = applyFill(position('BTCUSD_PERP', '-100', '50000'), cm, fill('BUY', '100', '40000'));
    expect(short.realizedPnl.toFixed()).toBe('0.05');
    expect(short.position).toBeNull();
  });

  it('refuses a non-positive quantity or price and a fill for another symbol', () => {
    expect(() => applyFill(null, um, fill('BUY', '0', '1'))).toThrow(RangeError);
    expect(() => applyFill(null, um, fill('BUY', '1', '-1'))).toThrow(RangeError);
    expect(() => applyFill(position('ETHUSDT', '1', '1'), um, fill('BUY', '1', '1'))).toThrow(RangeError);
  });

  it('does not modify the current position', () => {
    const current = position('BTCUSDT', '1', '100');
    applyFill(current, um, fill('BUY', '1', '200'));
    expect(view(current)).toEqual({ symbol: 'BTCUSDT', quantity: '1', entryPrice: '100', leverage: 10 });
  });
});
