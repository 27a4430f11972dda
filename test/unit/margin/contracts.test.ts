import { dec } from '../../../src/lib/decimal';
import { averageEntry, notional, pnl, type SymbolSpec } from '../../../src/services/margin';
import { params } from './fixtures';

const spec = (symbol: string): SymbolSpec => {
  const s = params.symbols.get(symbol);
  if (!s) throw new Error(symbol);
  return s;
};
const cm = spec('BTCUSD_PERP');
const um = spec('BTCUSDT');

describe('CM (inverse) contracts', () => {
  it('notional in coin = contracts x face / mark, unsigned', () => {
    expect(notional(cm, dec(100), dec(40000)).toFixed()).toBe('0.25');
    expect(notional(cm, dec(-100), dec(40000)).toFixed()).toBe('0.25');
  });

  it('PnL in coin = contracts x face x (1/entry - 1/mark): long 100 @ 50000, mark 40000 -> -0.05 BTC', () => {
    expect(pnl(cm, dec(100), dec(50000), dec(40000)).toFixed()).toBe('-0.05');
    expect(pnl(cm, dec(-100), dec(50000), dec(40000)).toFixed()).toBe('0.05');
  });

  it('harmonic entry: 100 @ 50000 + 100 @ 40000 -> 200 / (100/50000 + 100/40000)', () => {
    const entry = averageEntry(cm, dec(100), dec(50000), dec(100), dec(40000));
    expect(entry.eq(dec(200).div(dec('0.0045')))).toBe(true);
    expect(entry.toDecimalPlaces(6).toFixed()).toBe('44444.444444');
    // the harmonic mean keeps the coin cost: the position is flat in PnL at its entry
    expect(pnl(cm, dec(200), entry, entry).isZero()).toBe(true);
    expect(
      pnl(cm, dec(100), dec(50000), dec(45000))
        .plus(pnl(cm, dec(100), dec(40000), dec(45000)))
        .toFixed(30),
    ).toBe(pnl(cm, dec(200), entry, dec(45000)).toFixed(30));
  });
});

describe('UM (linear) contracts', () => {
  it('notional = |qty x mark| and PnL = qty x (mark - entry)', () => {
    expect(notional(um, dec('-0.05'), dec(40000)).toFixed()).toBe('2000');
    expect(pnl(um, dec('-0.05'), dec(52000), dec(40000)).toFixed()).toBe('600');
    expect(pnl(um, dec('0.04'), dec(52350), dec(42000)).toFixed()).toBe('-414');
  });

  it('entry is the quantity-weighted mean, also for shorts', () => {
    expect(averageEntry(um, dec(1), dec(100), dec(3), dec(200)).toFixed()).toBe('175');
    expect(averageEntry(um, dec(-1), dec(100), dec(-3), dec(200)).toFixed()).toBe('175');
  });
});
