import type { ValueTransformer } from 'typeorm';

/**
 * How a column holds instants, which decides how instants are bound against it:
 * - `'epoch-ms'`: an integer count of milliseconds since 1970-01-01T00:00:00Z (the
 *   souvenirs' `when`). No driver converts it, so every process reads the same instant.
 * - `'timestamp'`: the driver's own date column (an application's users entity),
 *   bound as `Date`s so the driver converts them as it converts the column's values.
 * - `'timestamptz'`: PostgreSQL's `timestamp with time zone`, bound as `Date`s with
 *   their offset.
 *
 * @internal
 */
export type InstantEncoding = 'epoch-ms' | 'timestamp' | 'timestamptz';

/** The encoding of an application's own date column of TypeORM type `type`. @internal */
export function dateColumnEncoding(type: unknown): InstantEncoding {
  return type === 'timestamptz' || type === 'timestamp with time zone' ? 'timestamptz' : 'timestamp';
}

/**
 * The parameter to bind for `instant` against a column of `encoding`: epoch
 * milliseconds, or the Date itself for the driver to convert.
 *
 * @internal
 */
export function instantParameter(instant: Date, encoding: InstantEncoding): number | Date {
  return encoding === 'epoch-ms' ? instant.getTime() : instant;
}

/**
 * Maps the entity's `Date` to integer epoch milliseconds and back. node-postgres and
 * mysql2 (as TypeORM configures it) return a bigint as a decimal string,
 * better-sqlite3 as a number: `Number` reads both exactly, since every valid Date is
 * within ±8.64e15 ms, below 2^53.
 *
 * @internal
 */
export const EPOCH_MS_TRANSFORMER: ValueTransformer = {
  to: (value: Date | null | undefined) => (value instanceof Date ? value.getTime() : value),
  from: (value: string | number | null | undefined) => (value === null || value === undefined ? value : new Date(Number(value))),
};
