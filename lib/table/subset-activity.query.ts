import type { EntityManager } from 'typeorm';
import type { PeriodBounds } from './sql/dialect-sql.interface.js';
import { dialectSqlOf } from './sql/dialect-sql.js';
import { sqlNames } from './sql/sql-names.js';
import { escapeQueryWithParameters } from './typeorm-compat.js';
import { tenantCondition } from './sql/tenant-condition.js';

// The SQL of counts restricted to a subset of users (`among`): what answers when the
// index cannot, and what tells idle seats. The subset is bound in parts of at most the
// dialect's `userIdsPerStatement` ids; parts share no user, so their counts add up.

/**
 * Distinct users of `ids` active in each period (in `tenant` only, when given): one
 * statement per part of the subset (one in all but the largest subsets), each grouped
 * over every period.
 *
 * @internal
 */
export async function countActiveUsersAmongPerPeriod(
  manager: EntityManager,
  periods: PeriodBounds,
  ids: readonly string[],
  tenant: string | null = null,
): Promise<number[]> {
  const active = new Array<number>(periods.length).fill(0);
  if (periods.length === 0 || ids.length === 0) return active;
  const { connection } = manager;
  const sql = dialectSqlOf(connection);
  const { table, escape } = sqlNames(connection.driver);
  const [when, user] = [escape('when'), escape('user_id')];
  // `when` holds epoch milliseconds (see Souvenir), so the periods are bound as such.
  const periodsTable = sql.periodsTable(periods, 'epoch-ms');
  for (const part of parts(ids, sql.userIdsPerStatement)) {
    const among = sql.userIdsIn(`s.${user}`, part);
    const [query, parameters] = escapeQueryWithParameters(
      connection.driver,
      `SELECT p.idx AS idx, COUNT(DISTINCT s.${user}) AS active FROM ${periodsTable.sql} p ` +
        `INNER JOIN ${table} s ON ${tenantCondition(escape, tenant === null ? 'site' : 'tenant')}s.${when} >= p.lo AND s.${when} < p.hi AND ${among.sql} GROUP BY p.idx`,
      { ...periodsTable.parameters, ...among.parameters, ...(tenant !== null && { tenant }) },
    );
    const rows: { idx: number | string; active: number | string }[] = await manager.query(query, parameters);
    // PostgreSQL returns COUNT as a bigint string.
    for (const row of rows) active[Number(row.idx)] += Number(row.active);
  }
  return active;
}

/**
 * Which of `ids` have a row at or after `since` (in `tenant` only, when given): the
 * users not idle, among a page of candidates (the `user, when` index, one probe per user).
 *
 * @internal
 */
export async function usersActiveSince(manager: EntityManager, since: Date, ids: readonly string[], tenant: string | null = null): Promise<Set<string>> {
  const active = new Set<string>();
  if (ids.length === 0) return active;
  const { connection } = manager;
  const sql = dialectSqlOf(connection);
  const { table, escape } = sqlNames(connection.driver);
  const [when, user] = [escape('when'), escape('user_id')];
  for (const part of parts(ids, sql.userIdsPerStatement)) {
    const among = sql.userIdsIn(`s.${user}`, part);
    const [query, parameters] = escapeQueryWithParameters(
      connection.driver,
      `SELECT DISTINCT s.${user} AS uid FROM ${table} s WHERE ${tenantCondition(escape, tenant === null ? 'site' : 'tenant')}${among.sql} AND s.${when} >= :since`,
      { ...among.parameters, since: since.getTime(), ...(tenant !== null && { tenant }) },
    );
    const rows: { uid: unknown }[] = await manager.query(query, parameters);
    for (const row of rows) active.add(String(row.uid));
  }
  return active;
}

function* parts(ids: readonly string[], size: number): Iterable<readonly string[]> {
  for (let from = 0; from < ids.length; from += size) yield ids.slice(from, from + size);
}
