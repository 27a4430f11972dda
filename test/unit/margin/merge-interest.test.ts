import { dec } from '../../../src/lib/decimal';
import { bookedInterest, interestFor, mergeBalances, netBalance } from '../../../src/services/margin';
import { balance } from './fixtures';

describe('mergeBalances (spec 2, activation)', () => {
  it('sums free, locked, borrowed and interest per asset, by asset, dropping all-zero rows', () => {
    const merged = mergeBalances(
      [
        balance('USDT', '10', { locked: '1' }),
        balance('BTC', '0.1', { borrowed: '0.05', interest: '0.001' }),
      ],
      [balance('USDT', '-2', { interest: '0.5' }), balance('ETH', '0')],
      [balance('BTC', '0.2'), balance('SOL', '1', { borrowed: '1' })],
    );
    expect(
      merged.map((b) => [
        b.asset,
        b.free.toFixed(),
        b.locked.toFixed(),
        b.borrowed.toFixed(),
        b.interest.toFixed(),
      ]),
    ).toEqual([
      ['BTC', '0.3', '0', '0.05', '0.001'],
      ['SOL', '1', '0', '1', '0'],
      ['USDT', '8', '1', '0', '0.5'],
    ]);
  });

  it('loses nothing: the net balance of the merge is the sum of the nets', () => {
    const wallets = [
      [balance('BTC', '1.5', { borrowed: '0.2' })],
      [balance('BTC', '-0.3', { locked: '0.1', interest: '0.01' })],
    ];
    const [merged] = mergeBalances(...wallets);
    expect(netBalance(merged).toFixed()).toBe(
      netBalance(wallets[0][0]).plus(netBalance(wallets[1][0])).toFixed(),
    );
  });
});

describe('interestFor', () => {
  it('is simple interest: principal x hourly rate x hours', () => {
    expect(interestFor(dec(1000), dec('0.0000045'), 24).toFixed()).toBe('0.108');
    expect(interestFor(dec(1000), dec('0.0000045'), 0).isZero()).toBe(true);
  });

  it('refuses negative or non-finite hours', () => {
    expect(() => interestFor(dec(1), dec(1), -1)).toThrow(RangeError);
    expect(() => interestFor(dec(1), dec(1), Number.NaN)).toThrow(RangeError);
  });
});

describe('bookedInterest', () => {
  it('rounds the formula up to the asset precision, never below it', () => {
    // 0.12345678 x 0.0000012 = 0.000000148148136 -> 0.00000015
    expect(bookedInterest(dec('0.12345678'), dec('0.0000012'), 1, 8).toFixed()).toBe('0.00000015');
    expect(bookedInterest(dec(1000), dec('0.0000045'), 3, 8).toFixed()).toBe('0.0135');
    expect(bookedInterest(dec(1000), dec('0.0000045'), 0, 8).isZero()).toBe(true);
  });
});
