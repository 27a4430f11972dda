import type { FuturesSymbolEntity } from '../../src/entities';
import { dec } from '../../src/lib/decimal';
import { referenceData } from '../../src/reference';
import { defaultWallets } from '../../src/services/catalog/catalog';
import { bracketCums } from '../../src/services/margin';

describe('bracketCums', () => {
  it.each(referenceData.symbols.map((s) => [s.symbol, s.brackets] as const))(
    'derives the published cum of every %s bracket',
    (_, brackets) => {
      const cums = bracketCums(brackets.map((b) => ({ floor: dec(b.floor), mmr: dec(b.mmr) })));
      expect(cums.map((c) => c.toFixed())).toEqual(brackets.map((b) => dec(b.cum).toFixed()));
    },
  );
});

describe('defaultWallets', () => {
  const symbol = (contractType: string, base: string, settle: string) =>
    ({ contractType, base, settle }) as FuturesSymbolEntity;
  const symbols = [symbol('UM', 'XRP', 'USDT'), symbol('CM', 'BTC', 'BTC')];

  it('adds the futures wallets whose symbols settle in the asset or are based on it', () => {
    expect(defaultWallets('XRP', symbols)).toEqual([
      'SPOT',
      'CROSS_MARGIN',
      'PORTFOLIO_MARGIN',
      'USDM_FUTURES',
    ]);
    expect(defaultWallets('USDT', symbols)).toEqual([
      'SPOT',
      'CROSS_MARGIN',
      'PORTFOLIO_MARGIN',
      'USDM_FUTURES',
    ]);
    expect(defaultWallets('BTC', symbols)).toEqual([
      'SPOT',
      'CROSS_MARGIN',
      'PORTFOLIO_MARGIN',
      'COINM_FUTURES',
    ]);
    expect(defaultWallets('DOGE', symbols)).toEqual(['SPOT', 'CROSS_MARGIN', 'PORTFOLIO_MARGIN']);
  });
});
