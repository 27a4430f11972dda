import fc from 'fast-check';
import { ApiError } from '../../src/errors';
import { isRowId, parseRowId } from '../../src/lib/row-id';

describe('row ids', () => {
  it('accepts the one spelling of 1 .. 2^63-1', () => {
    for (const id of ['1', '6', '10', '9223372036854775807']) expect(isRowId(id)).toBe(true);
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }), (n) => isRowId(n.toString())),
      { seed: 8, numRuns: 500 },
    );
  });

  it('refuses every other spelling with BAD_USER_INPUT naming the field', () => {
    const bad = [
      '',
      '0',
      '06',
      '-6',
      '+6',
      ' 6',
      '6 ',
      '6abc',
      '6e0',
      '6.0',
      '0x6',
      '６',
      '9223372036854775808',
    ];
    for (const id of [...bad, 6, null, undefined]) {
      expect(isRowId(id)).toBe(false);
      let thrown: unknown;
      try {
        parseRowId(id, 'accountId');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ApiError);
      expect((thrown as ApiError).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'accountId' });
    }
  });
});
