import type { EntityManager } from 'typeorm';
import type { PeriodBounds } from './sql/dialect-sql.interface.js';
import { dialectSqlOf } from './sql/dialect-sql.js';
import { sqlNames } from './sql/sql-names.js';
import { escapeQueryWithParameters } from './typeorm-compat.js';

/**
 * Distinct active users of every period (of one tenant's rows when `tenant` is given), in a number of statements that does not
 * grow with the number of periods: the dialect's grouped count over a periods table
 * (see `DialectSql.countActiveUsersPerPeriod`), split as the dialect asks.
 *
 * @internal
 */
export async function countActiveUsersPerPeriod(manager: EntityManager, periods: PeriodBounds, tenant: string | null = null): Promise<number[]> {
  const split = dialectSqlOf(manager.connection).countSplit;
  if (split === null) return countInOneStatement(manager, periods, tenant);
  const size = Math.max(split.periodsPerStatement, Math.ceil(periods.length / split.maxStatements));
  const chunks: Promise<number[]>[] = [];
  for (let from = 0; from < periods.length; from += size) {
    chunks.push(countInOneStatement(manager, periods.slice(from, from + size), tenant));
  }
  return (await Promise.all(chunks)).flat();
}

async function countInOneStatement(manager: EntityManager, periods: PeriodBounds, tenant: string | null): Promise<number[]> {
  const { connection } = manager;
  const sql = dialectSqlOf(connection);
  // `when` holds epoch milliseconds (see Souvenir), so the periods are bound as such.
  const table = sql.periodsTable(periods, 'epoch-ms');
  const [query, parameters] = escapeQueryWithParameters(
    connection.driver,
    sql.countActiveUsersPerPeriod(sqlNames(connection.driver), table, tenant === null ? 'site' : 'tenant'),
    tenant === null ? table.parameters : { ...table.parameters, tenant },
  );
  const rows: { idx: number | string; active: number | string }[] = await manager.query(query, parameters);
  const active = new Array<number>(periods.length).fill(0);
  // PostgreSQL returns COUNT as a bigint string.
  for (const row of rows) active[Number(row.idx)] = Number(row.active);
  return active;
}
