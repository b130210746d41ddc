import type { EntityManager } from 'typeorm';
import { Souvenir } from './souvenir.entity.js';
import type { PeriodBounds } from './sql/dialect-sql.interface.js';
import { dialectSqlOf } from './sql/dialect-sql.js';
import { sqlNames } from './sql/sql-names.js';
import { escapeQueryWithParameters } from './typeorm-compat.js';

/**
 * Every row of each period (of one tenant when `tenant` is given), as parallel arrays of user ids and instants (epoch
 * ms): what the index's day logs are built from. One statement for all the
 * periods (see `DialectSql.rowsPerPeriod`), however many.
 *
 * @internal
 */
export async function rowsPerPeriod(
  manager: EntityManager,
  periods: PeriodBounds,
  tenant: string | null = null,
): Promise<{ users: string[]; whens: number[] }[]> {
  const out = periods.map(() => ({ users: [] as string[], whens: [] as number[] }));
  if (periods.length === 0) return out;
  const { connection } = manager;
  const sql = dialectSqlOf(connection);
  // `when` holds epoch milliseconds (see Souvenir), so the periods are bound as such.
  const table = sql.periodsTable(periods, 'epoch-ms');
  const [query, parameters] = escapeQueryWithParameters(
    connection.driver,
    sql.rowsPerPeriod(sqlNames(connection.driver), table, tenant === null ? 'site' : 'tenant'),
    tenant === null ? table.parameters : { ...table.parameters, tenant },
  );
  const rows: { idx: number | string; uid: unknown; w: unknown }[] = await manager.query(query, parameters);
  for (const row of rows) {
    const period = out[Number(row.idx)];
    period.users.push(String(row.uid));
    // Epoch milliseconds, as a number or a bigint string.
    period.whens.push(Number(row.w));
  }
  return out;
}

/** For `periodsWithRows`: rows of any tenant (not of none), what the pairs index holds. @internal */
export const ANY_TENANT: unique symbol = Symbol('any tenant');

/**
 * Which of the periods hold at least one row (of `tenant` when given, of any tenant for
 * {@link ANY_TENANT}): one index probe each (`LIMIT 1` on `IDX_souvenirs_when_user`, or
 * `IDX_souvenirs_tenant_when_user`), side by side.
 *
 * @internal
 */
export async function periodsWithRows(manager: EntityManager, periods: readonly (readonly [Date, Date])[], tenant: string | null | typeof ANY_TENANT = null): Promise<boolean[]> {
  return Promise.all(
    periods.map(async ([start, end]) => {
      const query = manager
        .createQueryBuilder(Souvenir, 's')
        .select('s.id', 'id')
        .where('s.when >= :lo AND s.when < :hi', { lo: start.getTime(), hi: end.getTime() });
      if (tenant === ANY_TENANT) query.andWhere('s.tenant IS NOT NULL');
      else if (tenant !== null) query.andWhere('s.tenant = :tenant', { tenant });
      const row = await query.limit(1).getRawOne();
      return row !== undefined && row !== null;
    }),
  );
}

/**
 * The tenants with rows in `[start, end)`: whose indexes a reindex of the range rebuilds,
 * and a day found short (a stale pending add) invalidates. One statement.
 *
 * @internal
 */
export async function tenantsBetween(manager: EntityManager, start: Date, end: Date): Promise<string[]> {
  const rows = await manager
    .createQueryBuilder(Souvenir, 's')
    .select('DISTINCT s.tenant', 'tenant')
    .where('s.when >= :lo AND s.when < :hi AND s.tenant IS NOT NULL', { lo: start.getTime(), hi: end.getTime() })
    .getRawMany<{ tenant: string }>();
  return rows.map((row) => String(row.tenant));
}
