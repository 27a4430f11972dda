import { dec } from '../../../src/lib/decimal';
import {
  bracketFor,
  collateralTiersFrom,
  collateralValue,
  InvalidRiskParamsError,
  maintenanceMargin,
  riskParamsFromReference,
  type ReferenceData,
} from '../../../src/services/margin';
import { params, reference } from './fixtures';

describe('riskParamsFromReference', () => {
  it('loads every asset, symbol and band of reference.json', () => {
    expect([...params.assets.keys()]).toEqual(reference.assets.map((a) => a.symbol));
    expect([...params.symbols.keys()]).toEqual(reference.symbols.map((s) => s.symbol));
    expect(params.bands.map((b) => [b.status, b.above?.toFixed() ?? null])).toEqual(
      reference.riskBands.map((b) => [b.status, b.above === null ? null : dec(b.above).toFixed()]),
    );
    expect(params.maxWithdrawMmMultiple.toFixed()).toBe('1.2');
    expect(params.symbols.get('BTCUSD_PERP')?.faceValueUsd?.toFixed()).toBe('100');
    expect(params.eligibility.vipLevels).toEqual([1, 9]);
  });

  const broken = (change: (r: ReferenceData) => void) => {
    const copy: ReferenceData = JSON.parse(JSON.stringify(reference));
    change(copy);
    return () => riskParamsFromReference(copy);
  };

  it('accepts brackets that end at a finite cap (the last bracket applies beyond it)', () => {
    const capped = riskParamsFromReference({
      ...reference,
      symbols: reference.symbols.map((s, i) =>
        i === 1
          ? { ...s, brackets: [{ floor: '0', cap: '10000', mmr: '0.0065', cum: '0', maxLeverage: 75 }] }
          : s,
      ),
    });
    const eth = capped.symbols.get('ETHUSDT')?.brackets ?? [];
    expect(maintenanceMargin(dec('20000'), eth).toFixed()).toBe('130');
  });

  it('rejects the Binance example as published (its last tier ends at 200M)', () => {
    const tiers = reference.exampleTieredCollateral?.tiers ?? [];
    expect(() => collateralTiersFrom(tiers.slice(0, -1), 'example')).toThrow(/open-ended/);
  });

  it.each<[string, (r: ReferenceData) => void]>([
    ['a gap between collateral tiers', (r) => (r.assets[2].collateralTiers[1].floor = '10000001')],
    ['collateral tiers not starting at 0', (r) => (r.assets[0].collateralTiers[0].floor = '1')],
    ['a collateral rate above 1', (r) => (r.assets[1].collateralTiers[0].rate = '1.01')],
    ['an unbounded tier before the last', (r) => (r.assets[2].collateralTiers[0].cap = null)],
    ['a finite last collateral tier', (r) => (r.assets[2].collateralTiers[2].cap = '90000000')],
    ['overlapping collateral tiers', (r) => (r.assets[2].collateralTiers[1].floor = '9000000')],
    ['brackets out of order', (r) => r.symbols[0].brackets.reverse()],
    ['a bracket whose cap is not above its floor', (r) => (r.symbols[1].brackets[0].cap = '0')],
    ['an mmr that falls', (r) => (r.symbols[2].brackets[2].mmr = '0.001')],
    ['a CM symbol without face value', (r) => delete r.symbols[4].faceValueUsd],
    ['a CM symbol settling in another coin', (r) => (r.symbols[4].settle = 'USDT')],
    ['a symbol on an unknown asset', (r) => (r.symbols[0].base = 'DOGE')],
    ['an unknown contract type', (r) => (r.symbols[0].type = 'OPTION')],
    ['marginLeverage 1 (IM would divide by 0)', (r) => (r.assets[0].marginLeverage = 1)],
    ['bands out of order', (r) => r.riskBands.reverse()],
    ['band thresholds that do not fall', (r) => (r.riskBands[1].above = '1.6')],
    ['a duplicate asset', (r) => r.assets.push(r.assets[0])],
    ['a non-decimal rate', (r) => (r.assets[0].loanMMR = 'ten percent')],
  ])('rejects %s', (_name, change) => {
    expect(broken(change)).toThrow(InvalidRiskParamsError);
  });
});

describe('brackets of every symbol in reference.json', () => {
  for (const spec of params.symbols.values()) {
    describe(spec.symbol, () => {
      it('starts with cum 0 and follows cum_k = cum_{k-1} + floor_k x (mmr_k - mmr_{k-1})', () => {
        expect(spec.brackets[0].cum.isZero()).toBe(true);
        for (let k = 1; k < spec.brackets.length; k++) {
          const [prev, b] = [spec.brackets[k - 1], spec.brackets[k]];
          expect(b.cum.toFixed()).toBe(prev.cum.plus(b.floor.times(b.mmr.minus(prev.mmr))).toFixed());
        }
      });

      it('keeps the margin continuous at every floor: just below == at the floor', () => {
        for (let k = 1; k < spec.brackets.length; k++) {
          const floor = spec.brackets[k].floor;
          const below = floor.minus(dec('1e-30'));
          expect(bracketFor(below, spec.brackets)).toBe(spec.brackets[k - 1]);
          expect(bracketFor(floor, spec.brackets)).toBe(spec.brackets[k]);
          const prev = spec.brackets[k - 1];
          // the lower bracket's formula at the floor is the limit from below
          expect(floor.times(prev.mmr).minus(prev.cum).toFixed()).toBe(
            maintenanceMargin(floor, spec.brackets).toFixed(),
          );
          expect(
            maintenanceMargin(floor, spec.brackets)
              .minus(maintenanceMargin(below, spec.brackets))
              .abs()
              .lte(dec('1e-29')),
          ).toBe(true);
        }
      });
    });
  }

  it('applies the last bracket beyond its cap', () => {
    const btc = params.symbols.get('BTCUSDT')?.brackets ?? [];
    expect(bracketFor(dec('900000000'), btc)).toBe(btc[btc.length - 1]);
    expect(maintenanceMargin(dec('600000000'), btc).toFixed()).toBe(
      dec('600000000').times('0.5').minus('103046300').toFixed(),
    );
  });
});

describe('collateralValue', () => {
  const example = reference.exampleTieredCollateral;
  if (!example) throw new Error('reference.json lost its tiered-collateral example');
  const tiers = collateralTiersFrom(example.tiers, 'example');

  it('spec 3 example: 120,000,000 USD counts 100,000,000 + 20,000,000 x 0.975 = 119,500,000', () => {
    expect(collateralValue(dec(example.valueUsd), tiers).toFixed()).toBe(example.collateralUsd);
    expect(example.collateralUsd).toBe('119500000');
  });

  it('counts slice by slice: 160M = 100M + 20M x 0.975 + 30M x 0.95 + 10M x 0.9 = 157M', () => {
    expect(collateralValue(dec('160000000'), tiers).toFixed()).toBe('157000000');
  });

  it('counts the open-ended last tier (appended to the example: 200M and beyond at 0.8)', () => {
    // 100 + 19.5 + 28.5 + 27 + 17 = 192M at 200M, then 10M x 0.8
    expect(collateralValue(dec('210000000'), tiers).toFixed()).toBe('200000000');
  });

  it('counts values <= 0 in full', () => {
    expect(collateralValue(dec('-123.45'), tiers).toFixed()).toBe('-123.45');
    expect(collateralValue(dec(0), tiers).isZero()).toBe(true);
  });
});
