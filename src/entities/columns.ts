import { Column, PrimaryColumn, type ColumnOptions, type ValueTransformer } from 'typeorm';
import { Decimal, dec, WIRE_SCALE } from '../lib/decimal';

/** Scale of every money column: DECIMAL(36,18) in MySQL, exact text in SQLite. */
export const MONEY_SCALE = WIRE_SCALE;

/** DECIMAL(36,18) holds |x| < 10^18: 36 digits, 18 of them decimals. */
const MONEY_LIMIT = dec('1e18');

/** Whether a value fits a money column; what does not is refused as input before anything is written (spec 3). */
export function fitsMoneyColumn(value: Decimal): boolean {
  return value.abs().lt(MONEY_LIMIT);
}

/**
 * string <-> Decimal. `to()` must be idempotent: TypeORM 1.x also runs it on find-operator values in place.
 * A value with more than 18 decimals is refused rather than silently rounded by the database.
 */
export const decimalTransformer: ValueTransformer = {
  to(value: unknown): unknown {
    if (
      value instanceof Decimal ||
      (typeof value === 'object' && value !== null && 'toFixed' in value && 'd' in value)
    ) {
      const d = value as Decimal;
      if (!d.isFinite()) throw new Error('refusing to store a non-finite decimal');
      if (d.decimalPlaces() > MONEY_SCALE)
        throw new Error(`refusing to store ${d.toFixed()}: more than ${MONEY_SCALE} decimals`);
      return d.toFixed();
    }
    return value;
  },
  from(value: unknown): unknown {
    if (value === null || value === undefined) return value;
    return dec(String(value));
  },
};

/** A money or rate column: DECIMAL(36,18), Decimal in code. */
export function MoneyColumn(
  options: Pick<ColumnOptions, 'nullable' | 'default' | 'name'> = {},
): PropertyDecorator {
  return Column({
    type: 'decimal',
    precision: 36,
    scale: MONEY_SCALE,
    transformer: decimalTransformer,
    ...options,
  });
}

/** Millisecond timestamps, stored as UTC. */
export function TimestampColumn(options: Pick<ColumnOptions, 'nullable' | 'name'> = {}): PropertyDecorator {
  return Column({ type: 'datetime', precision: 3, ...options });
}

/**
 * MySQL collation of every key, code and identifier compared in SQL: binary, so that `Key-a` and `key-A` are
 * two keys (spec 4: compared exactly, case included) as they are on SQLite, which compares bytes.
 */
export const EXACT_COLLATION = 'utf8mb4_bin';

/** A key, code or identifier (idempotency key, asset, symbol, wallet, ...): varchar, compared exactly. */
export function CodeColumn(
  length: number,
  options: { name?: string; primary?: boolean } = {},
): PropertyDecorator {
  const column = { type: 'varchar', length, collation: EXACT_COLLATION, name: options.name } as const;
  return options.primary ? PrimaryColumn(column) : Column(column);
}
