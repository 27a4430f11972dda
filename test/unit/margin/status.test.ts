import { dec } from '../../../src/lib/decimal';
import {
  isReduceOnlyOrWorse,
  liquidationThreshold,
  RISK_STATUSES,
  statusFor,
  type RiskStatus,
} from '../../../src/services/margin';
import { params } from './fixtures';

describe('statusFor', () => {
  const at = (equity: string, mm = '1') => statusFor(dec(equity), dec(mm), params.bands);

  it.each<[string, RiskStatus]>([
    ['1.5000000001', 'NORMAL'],
    ['1.5', 'MARGIN_CALL'],
    ['1.3000000001', 'MARGIN_CALL'],
    ['1.3', 'SUPPLY_MARGIN'],
    ['1.2', 'REDUCE_ONLY'],
    ['1.0500000001', 'REDUCE_ONLY'],
    ['1.05', 'FORCE_LIQUIDATION'],
    ['1.0000000001', 'FORCE_LIQUIDATION'],
    ['1', 'BANKRUPTED'],
    ['0', 'BANKRUPTED'],
    ['-3', 'BANKRUPTED'],
  ])('uniMMR %s is %s', (uniMMR, status) => {
    expect(at(uniMMR)).toBe(status);
    expect(at(dec(uniMMR).times(7).toFixed(), '7')).toBe(status);
  });

  it('is NORMAL without maintenance margin, whatever the equity', () => {
    expect(at('-100', '0')).toBe('NORMAL');
  });

  it('compares without dividing: 1e-85 above 1.5 x MM is NORMAL though AE / MM rounds to 1.5', () => {
    const mm = dec(3);
    const equity = dec(`4.5${'0'.repeat(84)}1`);
    expect(equity.div(mm).eq(dec('1.5'))).toBe(true);
    expect(statusFor(equity, mm, params.bands)).toBe('NORMAL');
  });
});

describe('isReduceOnlyOrWorse', () => {
  it('is true from REDUCE_ONLY down', () => {
    expect(RISK_STATUSES.map(isReduceOnlyOrWorse)).toEqual([false, false, false, true, true, true]);
  });
});

describe('liquidationThreshold', () => {
  it("is the FORCE_LIQUIDATION band's upper bound from the params (1.05)", () => {
    expect(liquidationThreshold(params.bands).toFixed()).toBe('1.05');
    const moved = params.bands.map((b) => (b.status === 'REDUCE_ONLY' ? { ...b, above: dec('1.07') } : b));
    expect(liquidationThreshold(moved).toFixed()).toBe('1.07');
  });
});
