import { DateTime } from 'luxon';
import type { DataSourceOptions } from 'typeorm';
import { UnsupportedDatabaseError } from '../errors/unsupported-database.error.js';

/**
 * A derived table `(idx, lo, hi)` listing report periods, so one grouped query can
 * answer for every period at once instead of one query per period.
 * @internal
 */
export interface PeriodsTable {
  /** A parenthesised sub-query with columns `idx` (0-based), `lo`, `hi`. */
  sql: string;
  parameters: Record<string, unknown>;
}

/**
 * Builds the periods table in the dialect's cheapest form. Each form keeps the
 * driver's own date conversion, so boundaries compare with stored `when` values
 * exactly as the driver wrote them:
 * - PostgreSQL: `unnest` of two timestamp arrays (two parameters however many periods);
 * - SQLite: `json_each` over one JSON parameter (SQLite caps compound SELECTs at 500),
 *   with the UTC text format TypeORM stores dates in;
 * - MySQL/MariaDB: a `UNION ALL` of rows whose Date parameters mysql2 converts in the
 *   connection's time zone, as it does on insert.
 * @internal
 */
export function periodsTable(
  type: DataSourceOptions['type'],
  periods: readonly (readonly [Date, Date])[],
  /** PostgreSQL: the compared column is `timestamptz`, so boundaries keep their offset. */
  withTimeZone = false,
): PeriodsTable {
  switch (type) {
    case 'postgres': {
      const array = withTimeZone ? 'timestamptz(3)[]' : 'timestamp(3)[]';
      return {
        sql:
          '(SELECT CAST(t.idx AS integer) - 1 AS idx, t.lo, t.hi FROM ' +
          `unnest(CAST(:periodStarts AS ${array}), CAST(:periodEnds AS ${array})) WITH ORDINALITY AS t(lo, hi, idx))`,
        parameters: { periodStarts: periods.map(([start]) => start), periodEnds: periods.map(([, end]) => end) },
      };
    }
    case 'better-sqlite3':
      return {
        sql:
          "(SELECT CAST(j.key AS INTEGER) AS idx, json_extract(j.value, '$[0]') AS lo, " +
          "json_extract(j.value, '$[1]') AS hi FROM json_each(:periods) j)",
        parameters: { periods: JSON.stringify(periods.map(([start, end]) => [sqliteDate(start), sqliteDate(end)])) },
      };
    case 'mysql':
    case 'mariadb': {
      const parameters: Record<string, unknown> = {};
      const rows = periods.map(([start, end], i) => {
        parameters[`lo${i}`] = start;
        parameters[`hi${i}`] = end;
        return `SELECT ${i} AS idx, CAST(:lo${i} AS DATETIME(3)) AS lo, CAST(:hi${i} AS DATETIME(3)) AS hi`;
      });
      return { sql: `(${rows.join(' UNION ALL ')})`, parameters };
    }
    default:
      throw new UnsupportedDatabaseError(type);
  }
}

/** TypeORM's SQLite text form of a date: UTC, millisecond precision. */
function sqliteDate(date: Date): string {
  return DateTime.fromJSDate(date, { zone: 'utc' }).toFormat('yyyy-LL-dd HH:mm:ss.SSS');
}

/** Whether a TypeORM column type is PostgreSQL's `timestamp with time zone`. @internal */
export function isTimestampWithTimeZone(type: unknown): boolean {
  return type === 'timestamptz' || type === 'timestamp with time zone';
}
