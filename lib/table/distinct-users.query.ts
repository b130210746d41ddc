import type { EntityManager } from 'typeorm';
import { Souvenir } from './souvenir.entity.js';
import type { PeriodBounds } from './sql/dialect-sql.interface.js';
import { dialectSqlOf } from './sql/dialect-sql.js';
import { sqlNames } from './sql/sql-names.js';
import { escapeQueryWithParameters } from './typeorm-compat.js';

/**
 * The distinct users active in each period (of one tenant's rows when `tenant` is given), from the souvenirs table: what the
 * active-users index is built from (whole days) and completed with (the edge
 * hours of a range). One statement for all the periods (see
 * `DialectSql.distinctUsersPerPeriod`).
 *
 * @internal
 */
export async function distinctUsersPerPeriod(manager: EntityManager, periods: PeriodBounds, tenant: string | null = null): Promise<string[][]> {
  const users = periods.map((): string[] => []);
  if (periods.length === 0) return users;
  const { connection } = manager;
  const sql = dialectSqlOf(connection);
  // `when` holds epoch milliseconds (see Souvenir), so the periods are bound as such.
  const table = sql.periodsTable(periods, 'epoch-ms');
  const [query, parameters] = escapeQueryWithParameters(
    connection.driver,
    sql.distinctUsersPerPeriod(sqlNames(connection.driver), table, tenant === null ? 'site' : 'tenant'),
    tenant === null ? table.parameters : { ...table.parameters, tenant },
  );
  const rows: { idx: number | string; uid: string }[] = await manager.query(query, parameters);
  for (const row of rows) users[Number(row.idx)].push(String(row.uid));
  return users;
}

/**
 * The earliest and latest `when` stored (both `null` on an empty table): the
 * bounds of an open range. Two index look-ups.
 *
 * @internal
 */
export async function storedTimeBounds(manager: EntityManager): Promise<{ first: Date | null; last: Date | null }> {
  const row = await manager
    .createQueryBuilder(Souvenir, 's')
    .select('MIN(s.when)', 'first')
    .addSelect('MAX(s.when)', 'last')
    .getRawOne<{ first: unknown; last: unknown }>();
  // Raw MIN/MAX skip the entity's transformer: epoch milliseconds, as a number or a bigint string.
  const read = (value: unknown): Date | null => (value === null || value === undefined ? null : new Date(Number(value)));
  return { first: read(row?.first), last: read(row?.last) };
}
