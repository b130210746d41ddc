import type { EntityManager } from 'typeorm';
import type { PeriodBounds } from './sql/dialect-sql.interface.js';
import { dialectSqlOf } from './sql/dialect-sql.js';
import { sqlNames } from './sql/sql-names.js';
import { escapeQueryWithParameters } from './typeorm-compat.js';

/** One tenant's distinct active users over a range. @internal */
export interface TenantUsage {
  tenant: string;
  activeUsers: number;
}

/**
 * Every tenant with activity in `[start, end)` and its distinct users, from the
 * souvenirs table in one `GROUP BY tenant`: the billing run's plain-SQL answer (the
 * baseline the per-tenant indexes are checked against), unordered. Rows without a
 * tenant are not a tenant's.
 *
 * @internal
 */
export async function activeUsersPerTenant(manager: EntityManager, start: Date, end: Date): Promise<TenantUsage[]> {
  const { driver } = manager.connection;
  const { table, escape } = sqlNames(driver);
  const [tenant, when, user] = [escape('tenant'), escape('when'), escape('user_id')];
  // `when` holds epoch milliseconds (see Souvenir).
  const [query, parameters] = escapeQueryWithParameters(
    driver,
    `SELECT s.${tenant} AS tenant, COUNT(DISTINCT s.${user}) AS active FROM ${table} s ` +
      `WHERE s.${tenant} IS NOT NULL AND s.${when} >= :lo AND s.${when} < :hi GROUP BY s.${tenant}`,
    { lo: start.getTime(), hi: end.getTime() },
  );
  const rows: { tenant: string; active: number | string }[] = await manager.query(query, parameters);
  return rows.map((row) => ({ tenant: String(row.tenant), activeUsers: Number(row.active) }));
}

/**
 * The distinct tenants active in each period (a tenant is active when any of its
 * users is), in one statement for all the periods: what `activeTenants` counts.
 *
 * @internal
 */
export async function tenantsPerPeriod(manager: EntityManager, periods: PeriodBounds): Promise<string[][]> {
  const tenants = periods.map((): string[] => []);
  if (periods.length === 0) return tenants;
  const { driver } = manager.connection;
  const names = sqlNames(driver);
  const [tenant, when] = [names.escape('tenant'), names.escape('when')];
  const periodsTable = dialectSqlOf(manager.connection).periodsTable(periods, 'epoch-ms');
  const [query, parameters] = escapeQueryWithParameters(
    driver,
    `SELECT DISTINCT p.idx AS idx, s.${tenant} AS tenant FROM ${periodsTable.sql} p ` +
      `INNER JOIN ${names.table} s ON s.${when} >= p.lo AND s.${when} < p.hi WHERE s.${tenant} IS NOT NULL`,
    periodsTable.parameters,
  );
  const rows: { idx: number | string; tenant: string }[] = await manager.query(query, parameters);
  for (const row of rows) tenants[Number(row.idx)].push(String(row.tenant));
  return tenants;
}

/**
 * The distinct (user, tenant) pairs active in each period, in one statement for all the periods: what the pairs index of the billing
 * run is built from (whole days) and completed with (the edge hours of a range). Rows
 * without a tenant are no pair.
 *
 * @internal
 */
export async function distinctPairsPerPeriod(manager: EntityManager, periods: PeriodBounds): Promise<Array<Array<readonly [user: string, tenant: string]>>> {
  const pairs = periods.map((): Array<readonly [string, string]> => []);
  if (periods.length === 0) return pairs;
  const { driver } = manager.connection;
  const names = sqlNames(driver);
  const [tenant, when, user] = [names.escape('tenant'), names.escape('when'), names.escape('user_id')];
  const periodsTable = dialectSqlOf(manager.connection).periodsTable(periods, 'epoch-ms');
  const [query, parameters] = escapeQueryWithParameters(
    driver,
    `SELECT DISTINCT p.idx AS idx, s.${user} AS uid, s.${tenant} AS tenant FROM ${periodsTable.sql} p ` +
      `INNER JOIN ${names.table} s ON s.${when} >= p.lo AND s.${when} < p.hi WHERE s.${tenant} IS NOT NULL`,
    periodsTable.parameters,
  );
  const rows: { idx: number | string; uid: string; tenant: string }[] = await manager.query(query, parameters);
  for (const row of rows) pairs[Number(row.idx)].push([String(row.uid), String(row.tenant)]);
  return pairs;
}
