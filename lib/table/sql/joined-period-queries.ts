import type { DialectSql } from './dialect-sql.interface.js';
import { tenantCondition } from './tenant-condition.js';

/**
 * The per-period queries in plain SQL: the periods table joined with the souvenirs on
 * the `when, user` index. MySQL/MariaDB and SQLite use them as they are; PostgreSQL
 * has its own (LATERAL index-only scans).
 *
 * @internal
 */
export const JOINED_PERIOD_QUERIES: Pick<DialectSql, 'countActiveUsersPerPeriod' | 'distinctUsersPerPeriod' | 'rowsPerPeriod'> = {
  countActiveUsersPerPeriod({ table, escape }, periods, scope) {
    const [when, user] = [escape('when'), escape('user_id')];
    return (
      `SELECT p.idx AS idx, COUNT(DISTINCT s.${user}) AS active FROM ${periods.sql} p ` +
      `INNER JOIN ${table} s ON ${tenantCondition(escape, scope)}s.${when} >= p.lo AND s.${when} < p.hi GROUP BY p.idx`
    );
  },

  distinctUsersPerPeriod({ table, escape }, periods, scope) {
    const [when, user] = [escape('when'), escape('user_id')];
    return (
      `SELECT DISTINCT p.idx AS idx, s.${user} AS uid FROM ${periods.sql} p ` +
      `INNER JOIN ${table} s ON ${tenantCondition(escape, scope)}s.${when} >= p.lo AND s.${when} < p.hi`
    );
  },

  rowsPerPeriod({ table, escape }, periods, scope) {
    const [when, user] = [escape('when'), escape('user_id')];
    return (
      `SELECT p.idx AS idx, s.${user} AS uid, s.${when} AS w FROM ${periods.sql} p ` +
      `INNER JOIN ${table} s ON ${tenantCondition(escape, scope)}s.${when} >= p.lo AND s.${when} < p.hi`
    );
  },
};
