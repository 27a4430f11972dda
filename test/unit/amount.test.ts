import { parseAmount, parseIdempotencyKey, parsePrice, parseRelativeChange } from '../../src/lib/amount';
import { ApiError } from '../../src/errors';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof ApiError ? error.code : 'NOT_API_ERROR';
  }
};

describe('parseAmount (spec section 4 input limits)', () => {
  it.each(['1', '0.1', '12.34567891', '1000000000000000'])('accepts %s', (raw) => {
    expect(parseAmount(raw, 8).toFixed()).toBe(raw);
  });

  it.each([
    '0',
    '0.000',
    '-1',
    '1e5',
    'NaN',
    'Infinity',
    '1e309',
    ' 1',
    '1 ',
    '+1',
    '01',
    '.5',
    '5.',
    '1,5',
    '',
    'abc',
    '0x10',
    '1000000000000000.1',
    '1.123456789',
  ])('refuses %j as BAD_USER_INPUT', (raw) => {
    expect(code(() => parseAmount(raw, 8))).toBe('BAD_USER_INPUT');
  });

  it('compares values, not spellings', () => {
    expect(parseAmount('1.50', 8).eq(parseAmount('1.5', 8))).toBe(true);
  });
});

describe('other input parsers', () => {
  it('takes prices with up to 18 decimals and fees of 0', () => {
    expect(parsePrice('0.000000000000000001').toFixed()).toBe('0.000000000000000001');
    expect(code(() => parsePrice('0'))).toBe('BAD_USER_INPUT');
    expect(parsePrice('0', 'fee', true).isZero()).toBe(true);
  });

  it('takes relative changes above -1', () => {
    expect(parseRelativeChange('-0.1').toFixed()).toBe('-0.1');
    expect(parseRelativeChange('2').toFixed()).toBe('2');
    expect(code(() => parseRelativeChange('-1'))).toBe('BAD_USER_INPUT');
    expect(code(() => parseRelativeChange('--1'))).toBe('BAD_USER_INPUT');
  });

  it('takes idempotency keys of 1-64 safe characters', () => {
    expect(parseIdempotencyKey('order-1:a_b.c')).toBe('order-1:a_b.c');
    for (const bad of ['', 'a'.repeat(65), 'has space', 'ключ'])
      expect(code(() => parseIdempotencyKey(bad))).toBe('BAD_USER_INPUT');
  });
});
