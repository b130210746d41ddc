import type { DialectSql } from './dialect-sql.interface.js';
import { SOUVENIRS_INDEX_TENANT_WHEN_USER, SOUVENIRS_INDEX_USER_WHEN, SOUVENIRS_INDEX_WHEN_USER } from './souvenirs-table.constants.js';
import { instantParameter, type InstantEncoding } from './instant-encoding.js';
import { integerArrayLiteral, nullableTextArrayLiteral, textArrayLiteral } from './postgres-array-literal.js';
import { tenantCondition } from './tenant-condition.js';

/** The array type instants of `encoding` are bound as. */
function instantArray(encoding: InstantEncoding): string {
  return { 'epoch-ms': 'bigint[]', timestamp: 'timestamp(3)[]', timestamptz: 'timestamptz(3)[]' }[encoding];
}

/**
 * PostgreSQL. Periods are an `unnest` of two arrays (two parameters however many
 * periods). Each period's count is a LATERAL index-only range scan of
 * `IDX_souvenirs_when_user`, and distinct users are compared bytewise (`COLLATE "C"`):
 * ids only need equality, not the database's linguistic order, which costs several
 * times more per comparison. Long reports are split into at most 8 statements run side
 * by side on the pool, so the server's cores share the work (and each stays cheap
 * enough not to be JIT-compiled).
 *
 * @internal
 */
export const POSTGRES_SQL: DialectSql = {
  dialect: 'postgres',

  periodsTable(periods, encoding) {
    const array = instantArray(encoding);
    return {
      sql:
        '(SELECT CAST(t.idx AS integer) - 1 AS idx, t.lo, t.hi FROM ' +
        `unnest(CAST(:periodStarts AS ${array}), CAST(:periodEnds AS ${array})) WITH ORDINALITY AS t(lo, hi, idx))`,
      parameters: {
        periodStarts: periods.map(([start]) => instantParameter(start, encoding)),
        periodEnds: periods.map(([, end]) => instantParameter(end, encoding)),
      },
    };
  },

  countActiveUsersPerPeriod({ table, escape }, periods, scope) {
    const [when, user] = [escape('when'), escape('user_id')];
    return (
      `SELECT p.idx, a.active FROM ${periods.sql} p CROSS JOIN LATERAL (` +
      `SELECT COUNT(DISTINCT s.${user} COLLATE "C") AS active FROM ${table} s ` +
      `WHERE ${tenantCondition(escape, scope)}s.${when} >= p.lo AND s.${when} < p.hi) a`
    );
  },

  distinctUsersPerPeriod({ table, escape }, periods, scope) {
    // LATERAL: each period is an index-only range scan of IDX_souvenirs_when_user (or of
    // IDX_souvenirs_tenant_when_user for a tenant; the planner cannot see how few periods
    // `unnest` yields and would hash-join the table).
    const [when, user] = [escape('when'), escape('user_id')];
    return (
      `SELECT p.idx, a.uid FROM ${periods.sql} p CROSS JOIN LATERAL (` +
      `SELECT DISTINCT s.${user} AS uid FROM ${table} s WHERE ${tenantCondition(escape, scope)}s.${when} >= p.lo AND s.${when} < p.hi) a`
    );
  },

  rowsPerPeriod({ table, escape }, periods, scope) {
    // LATERAL, as above: an index-only range scan per period.
    const [when, user] = [escape('when'), escape('user_id')];
    return (
      `SELECT p.idx, a.uid, a.w FROM ${periods.sql} p CROSS JOIN LATERAL (` +
      `SELECT s.${user} AS uid, s.${when} AS w FROM ${table} s WHERE ${tenantCondition(escape, scope)}s.${when} >= p.lo AND s.${when} < p.hi) a`
    );
  },

  insertFromArrays({ table, escape }, userIds, whensMs, tenants) {
    return {
      sql:
        `INSERT INTO ${table} (${escape('user_id')}, ${escape('when')}, ${escape('tenant')}) ` +
        'SELECT * FROM unnest(CAST(:userIds AS varchar[]), CAST(:whens AS bigint[]), CAST(:tenants AS varchar[]))',
      // Bound as array literals we build (see postgres-array-literal.ts), not as JS arrays.
      parameters: { userIds: textArrayLiteral(userIds), whens: integerArrayLiteral(whensMs), tenants: nullableTextArrayLiteral(tenants) },
    };
  },

  userIdsIn(column, ids) {
    // One array parameter however many ids, bound as a literal we build (see postgres-array-literal.ts).
    return { sql: `${column} = ANY(CAST(:subsetIds AS varchar[]))`, parameters: { subsetIds: textArrayLiteral(ids) } };
  },

  userIdsPerStatement: 100_000,

  // One batch's INSERT keeps one server core busy (index upkeep, mostly), then waits for its commit's
  // WAL flush: four in flight keep two cores busy through those waits (measured 41,000 → 54,000
  // rows/s on 2 cores with 2 → 4; 8 gained nothing more). COPY, one transaction, flushes once.
  backfillConcurrency: 4,

  countSplit: { periodsPerStatement: 400, maxStatements: 8 },

  sliceOf(column, parameter, encoding) {
    return `width_bucket(${column}, CAST(:${parameter} AS ${instantArray(encoding)}))`;
  },

  createSouvenirsTable({ table, indexWhenUser, indexUserWhen }) {
    return [
      `CREATE TABLE ${table} ("id" SERIAL NOT NULL, "user_id" character varying(191) NOT NULL, ` +
        `"when" TIMESTAMP(3) NOT NULL, CONSTRAINT "PK_souvenirs" PRIMARY KEY ("id"))`,
      `CREATE INDEX ${indexWhenUser} ON ${table} ("when", "user_id")`,
      `CREATE INDEX ${indexUserWhen} ON ${table} ("user_id", "when")`,
    ];
  },

  dropSouvenirsTable({ table, qualified }) {
    // PostgreSQL names an index within its table's schema.
    return [
      `DROP INDEX ${qualified(SOUVENIRS_INDEX_USER_WHEN)}`,
      `DROP INDEX ${qualified(SOUVENIRS_INDEX_WHEN_USER)}`,
      `DROP TABLE ${table}`,
    ];
  },

  whenToEpochMs({ table }) {
    // `AT TIME ZONE 'UTC'` reads the stored wall-clock time as UTC; the indexes are rebuilt by the ALTER.
    return [
      `ALTER TABLE ${table} ALTER COLUMN "when" TYPE bigint ` +
        `USING CAST(round(extract(epoch FROM "when" AT TIME ZONE 'UTC') * 1000) AS bigint)`,
    ];
  },

  // varchar does not pad, and ids are compared COLLATE "C" where order or distinctness matters.
  exactUserIdCollations: null,
  exactUserIds: () => [],
  paddedUserIds: () => [],

  addTenants({ table, indexTenantWhenUser }) {
    return [
      `ALTER TABLE ${table} ADD COLUMN "tenant" character varying(255)`,
      `CREATE INDEX ${indexTenantWhenUser} ON ${table} ("tenant", "when", "user_id")`,
    ];
  },

  dropTenants({ table, qualified }) {
    return [`DROP INDEX ${qualified(SOUVENIRS_INDEX_TENANT_WHEN_USER)}`, `ALTER TABLE ${table} DROP COLUMN "tenant"`];
  },

  whenToDate({ table }) {
    return [
      `ALTER TABLE ${table} ALTER COLUMN "when" TYPE TIMESTAMP(3) ` +
        `USING (to_timestamp(0) + "when" * interval '1 millisecond') AT TIME ZONE 'UTC'`,
    ];
  },
};
