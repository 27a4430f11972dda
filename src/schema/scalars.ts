import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { dec, Decimal, formatDecimal } from '../lib/decimal';

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/**
 * Exact decimal: a plain-notation string on the wire both ways, printed by `formatDecimal` (at most 18
 * decimals, half-even) whatever the resolver returned. Input stays the client's string here;
 * resolvers parse it against the asset's precision and bounds (lib/amount.ts), so every bad amount
 * gets the same BAD_USER_INPUT wherever it is written.
 */
export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: 'Decimal',
  description:
    'Exact decimal number, serialized as a string such as "12345.678"; accepted as a string on input.',
  serialize(value: unknown): string {
    if (value instanceof Decimal || (typeof value === 'object' && value !== null && 'toFixed' in value)) {
      return formatDecimal(value as Decimal);
    }
    if (typeof value === 'string') {
      try {
        return formatDecimal(dec(value));
      } catch {
        throw new GraphQLError('Decimal cannot represent a non-decimal value');
      }
    }
    throw new GraphQLError('Decimal cannot represent a non-decimal value');
  },
  parseValue(value: unknown): string {
    if (typeof value !== 'string') throw badInput('Decimal must be given as a string, e.g. "12.5"');
    return value;
  },
  parseLiteral(ast): string {
    if (ast.kind !== Kind.STRING) throw badInput('Decimal must be given as a string, e.g. "12.5"');
    return ast.value;
  },
});

/** ISO-8601 UTC timestamp with milliseconds. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'ISO-8601 timestamp in UTC, e.g. "2026-01-31T12:00:00.000Z".',
  serialize(value: unknown): string {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new GraphQLError('DateTime cannot represent an invalid date');
    return date.toISOString();
  },
  parseValue(value: unknown): Date {
    const date = typeof value === 'string' ? new Date(value) : new Date(NaN);
    if (Number.isNaN(date.getTime())) throw badInput('DateTime must be an ISO-8601 string');
    return date;
  },
  parseLiteral(ast): Date {
    const date = ast.kind === Kind.STRING ? new Date(ast.value) : new Date(NaN);
    if (Number.isNaN(date.getTime())) throw badInput('DateTime must be an ISO-8601 string');
    return date;
  },
});
