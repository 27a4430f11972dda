import { dec } from '../../../src/lib/decimal';
import { marginCallCrossing } from '../../../src/services/margin';

describe('marginCallCrossing', () => {
  const level = dec('1.5');
  it('fires once on reaching the level, stays quiet below it, re-arms above it', () => {
    expect(marginCallCrossing(dec('1.6'), level, false)).toEqual({ fire: false, fired: false });
    expect(marginCallCrossing(dec('1.5'), level, false)).toEqual({ fire: true, fired: true });
    expect(marginCallCrossing(dec('1.2'), level, true)).toEqual({ fire: false, fired: true });
    expect(marginCallCrossing(dec('1.5000001'), level, true)).toEqual({ fire: false, fired: false });
    expect(marginCallCrossing(dec('1.4'), level, false)).toEqual({ fire: true, fired: true });
  });
  it('never fires without a level or without maintenance margin (uniMMR unbounded)', () => {
    expect(marginCallCrossing(dec('0.5'), null, false)).toEqual({ fire: false, fired: false });
    expect(marginCallCrossing(null, level, true)).toEqual({ fire: false, fired: false });
  });
});
