import { DateTime } from 'luxon';
import type { DialectSql } from './dialect-sql.interface.js';
import { JOINED_PERIOD_QUERIES } from './joined-period-queries.js';
import type { InstantEncoding } from './instant-encoding.js';
import type { SqlNames } from './sql-names.js';

/** TypeORM's SQLite text form of a date: UTC, millisecond precision. */
function sqliteDate(date: Date): string {
  return DateTime.fromJSDate(date, { zone: 'utc' }).toFormat('yyyy-LL-dd HH:mm:ss.SSS');
}

function sqliteInstant(instant: Date, encoding: InstantEncoding): number | string {
  return encoding === 'epoch-ms' ? instant.getTime() : sqliteDate(instant);
}

/**
 * SQLite (better-sqlite3). Periods are a `json_each` over one JSON parameter (SQLite
 * caps compound SELECTs at 500); the count joins them with the souvenirs, grouped by
 * period. A SQLite column cannot change type: migrations rebuild the table.
 *
 * @internal
 */
export const SQLITE_SQL: DialectSql = {
  dialect: 'sqlite',

  periodsTable(periods, encoding) {
    return {
      sql:
        "(SELECT CAST(j.key AS INTEGER) AS idx, json_extract(j.value, '$[0]') AS lo, " +
        "json_extract(j.value, '$[1]') AS hi FROM json_each(:periods) j)",
      parameters: {
        periods: JSON.stringify(periods.map(([start, end]) => [sqliteInstant(start, encoding), sqliteInstant(end, encoding)])),
      },
    };
  },

  ...JOINED_PERIOD_QUERIES,

  insertFromArrays: () => null,

  countSplit: null,

  userIdsIn(column, ids) {
    // One JSON parameter, as the periods: no bound on placeholders to mind.
    return { sql: `${column} IN (SELECT value FROM json_each(:subsetIds))`, parameters: { subsetIds: JSON.stringify(ids) } };
  },

  userIdsPerStatement: 100_000,

  // One writer at a time: a second batch in flight would only wait.
  backfillConcurrency: 1,

  sliceOf: () => null,

  createSouvenirsTable(names) {
    return [createTable(names.table, 'datetime(3)'), ...createIndexes(names)];
  },

  dropSouvenirsTable({ table, indexWhenUser, indexUserWhen }) {
    return [`DROP INDEX ${indexUserWhen}`, `DROP INDEX ${indexWhenUser}`, `DROP TABLE ${table}`];
  },

  whenToEpochMs(names) {
    // Whole seconds from strftime('%s'), milliseconds from the text: exact, before 1970 too.
    return rebuildTable(names, 'bigint', `CAST(strftime('%s', "when") AS INTEGER) * 1000 + CAST(substr("when", 21, 3) AS INTEGER)`);
  },

  // BINARY, the default collation, compares bytes and does not pad.
  exactUserIdCollations: null,
  exactUserIds: () => [],
  paddedUserIds: () => [],

  addTenants({ table, indexTenantWhenUser }) {
    // A nullable column is added in place (no rebuild): existing rows read it as NULL.
    return [
      `ALTER TABLE ${table} ADD COLUMN "tenant" varchar(255)`,
      `CREATE INDEX ${indexTenantWhenUser} ON ${table} ("tenant", "when", "user_id")`,
    ];
  },

  dropTenants({ table, indexTenantWhenUser }) {
    // SQLite 3.35+ drops a column in place once no index names it.
    return [`DROP INDEX ${indexTenantWhenUser}`, `ALTER TABLE ${table} DROP COLUMN "tenant"`];
  },

  whenToDate(names) {
    const ms = `(("when" % 1000) + 1000) % 1000`;
    return rebuildTable(
      names,
      'datetime(3)',
      `strftime('%Y-%m-%d %H:%M:%S', ("when" - ${ms}) / 1000, 'unixepoch') || '.' || printf('%03d', ${ms})`,
    );
  },
};

/** The souvenirs table's columns, as `table`, with `when` of `whenType`. */
function createTable(table: string, whenType: string): string {
  return (
    `CREATE TABLE ${table} ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, ` +
    `"user_id" varchar(191) NOT NULL, "when" ${whenType} NOT NULL)`
  );
}

function createIndexes({ table, indexWhenUser, indexUserWhen }: SqlNames): string[] {
  return [
    `CREATE INDEX ${indexWhenUser} ON ${table} ("when", "user_id")`,
    `CREATE INDEX ${indexUserWhen} ON ${table} ("user_id", "when")`,
  ];
}

/** Copies every row into a table with `when` of `whenType` (ids kept), then swaps it in and re-indexes. */
function rebuildTable(names: SqlNames, whenType: string, value: string): string[] {
  const copy = names.qualified('souvenirs_rebuilt');
  return [
    createTable(copy, whenType),
    `INSERT INTO ${copy} ("id", "user_id", "when") SELECT "id", "user_id", ${value} FROM ${names.table}`,
    `DROP TABLE ${names.table}`,
    `ALTER TABLE ${copy} RENAME TO ${names.table}`,
    ...createIndexes(names),
  ];
}
