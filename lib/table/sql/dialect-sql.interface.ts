import type { InstantEncoding } from './instant-encoding.js';
import type { SqlDialect } from './sql-dialect.js';
import type { SqlNames } from './sql-names.js';

/** A statement and its named parameters (`:name` in `sql`). @internal */
export interface SqlWithParameters {
  sql: string;
  parameters: Record<string, unknown>;
}

/**
 * A derived table `(idx, lo, hi)` listing periods, so one grouped query can answer for
 * every period at once instead of one query per period.
 * @internal
 */
export interface PeriodsTable extends SqlWithParameters {
  /** A parenthesised sub-query with columns `idx` (0-based), `lo`, `hi`. */
  sql: string;
}

/** Half-open periods `[start, end)`. @internal */
export type PeriodBounds = readonly (readonly [Date, Date])[];

/**
 * Everything nestjs-souvenirs says in one SQL dialect: one object per dialect
 * (`postgres.sql.ts`, `mysql.sql.ts`, `sqlite.sql.ts`), picked once per DataSource by
 * `dialectSqlOf`. To add a query, add a member here: the compiler then asks each
 * dialect for its version, and callers never compare dialect names.
 *
 * Statements use TypeORM's `:name` parameters (run them through
 * `driver.escapeQueryWithParameters`); names come escaped from {@link SqlNames}.
 *
 * @internal
 */
export interface DialectSql {
  readonly dialect: SqlDialect;

  /** The periods as a derived table, with boundaries bound for a column of `encoding`. */
  periodsTable(periods: PeriodBounds, encoding: InstantEncoding): PeriodsTable;

  /**
   * Distinct users of the souvenirs table per period of `periods` (a {@link PeriodsTable}
   * in epoch milliseconds): rows `(idx, active)`, periods without activity may be absent.
   */
  countActiveUsersPerPeriod(names: SqlNames, periods: PeriodsTable, scope: TenantScope): string;

  /**
   * The distinct users of the souvenirs table per period of `periods` (in epoch
   * milliseconds): rows `(idx, uid)`, what the active-users index is built from.
   */
  distinctUsersPerPeriod(names: SqlNames, periods: PeriodsTable, scope: TenantScope): string;

  /**
   * Every row of the souvenirs table per period of `periods` (in epoch
   * milliseconds): rows `(idx, uid, w)`, what the index's day logs are built from.
   */
  rowsPerPeriod(names: SqlNames, periods: PeriodsTable, scope: TenantScope): string;

  /**
   * One INSERT of the souvenirs `userIds[i]` at `whensMs[i]` (epoch ms) in `tenants[i]`
   * from three array parameters, whose text does not grow with the rows; `null` where
   * the dialect binds no arrays (TypeORM's multi-row INSERT then).
   */
  insertFromArrays(
    names: SqlNames,
    userIds: readonly string[],
    whensMs: readonly number[],
    tenants: readonly (string | null)[],
  ): SqlWithParameters | null;

  /**
   * A condition that `column` (a user id column) holds one of `ids`, as a parameter
   * `:subsetIds` (one array or JSON parameter where the dialect can, else one
   * placeholder per id), for counts restricted to a subset of users.
   */
  userIdsIn(column: string, ids: readonly string[]): SqlWithParameters;

  /** The most ids one statement binds in {@link userIdsIn} (a larger subset is split; its parts share no user, so their counts add up). */
  readonly userIdsPerStatement: number;

  /** Backfill batches written at once by default, each on its own connection. */
  readonly backfillConcurrency: number;

  /**
   * How a long count is split: at most `periodsPerStatement` periods per statement
   * (unless that would take more than `maxStatements`), the statements run side by side.
   * `null`: one statement, whatever the number of periods.
   */
  readonly countSplit: { periodsPerStatement: number; maxStatements: number } | null;

  /**
   * An expression numbering the slice of `column` between consecutive instants of the
   * array parameter `parameter` (0 before the first), when the dialect can search an
   * array (PostgreSQL's `width_bucket`); `null` to join a periods table instead.
   */
  sliceOf(column: string, parameter: string, encoding: InstantEncoding): string | null;

  /** DDL of the first migration: the table with `when` in the database's date type, and its indexes. */
  createSouvenirsTable(names: SqlNames): string[];

  /** DDL undoing {@link createSouvenirsTable}. */
  dropSouvenirsTable(names: SqlNames): string[];

  /**
   * DDL converting `when` in place from the date type of {@link createSouvenirsTable}
   * (holding UTC wall-clock times, as the README of that version required) to integer
   * epoch milliseconds, keeping every row and both indexes.
   */
  whenToEpochMs(names: SqlNames): string[];

  /** DDL undoing {@link whenToEpochMs}: epoch milliseconds back to UTC wall-clock dates. */
  whenToDate(names: SqlNames): string[];

  /**
   * A query listing which of the collations {@link exactUserIds} can use the server has
   * (rows of `{ name }`), or null where ids already compare byte for byte (PostgreSQL's
   * varchar and SQLite's BINARY do not pad).
   */
  readonly exactUserIdCollations: string | null;

  /**
   * DDL making `user_id` compare byte for byte with no padding (`'42 '` ≠ `'42'`), in the
   * first of `available` (rows of {@link exactUserIdCollations}) it prefers; `[]` when there
   * is nothing to change or no such collation.
   */
  exactUserIds(names: SqlNames, available: readonly string[]): string[];

  /** DDL undoing {@link exactUserIds}. */
  paddedUserIds(names: SqlNames): string[];

  /**
   * DDL adding the nullable `tenant` column (on MySQL/MariaDB in the first of `available`,
   * rows of {@link exactUserIdCollations}, as `user_id`) and its `(tenant, when, user_id)`
   * index, every row kept (with no tenant).
   */
  addTenants(names: SqlNames, available: readonly string[]): string[];

  /** DDL undoing {@link addTenants}: the index and the column dropped. */
  dropTenants(names: SqlNames): string[];
}

/**
 * Which rows a per-period query reads: every row (`'site'`), or those of one tenant
 * (`'tenant'`), bound as the `:tenant` parameter.
 *
 * @internal
 */
export type TenantScope = 'site' | 'tenant';
