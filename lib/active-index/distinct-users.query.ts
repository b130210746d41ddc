import type { EntityManager } from 'typeorm';
import { Souvenir } from '../activity/souvenir.entity.js';
import { isTimestampWithTimeZone, periodsTable } from '../reports/periods-table.js';

/**
 * The distinct users active in each period, from the souvenirs table: what the
 * active-users index is built from (whole days) and completed with (the edge
 * hours of a range). One statement for all the periods, on every dialect: the
 * periods table joined with the `when` range of each, as the active-users counts
 * do, so Date parameters are bound the same way.
 *
 * @internal
 */
export async function distinctUsersPerPeriod(
  manager: EntityManager,
  periods: readonly (readonly [Date, Date])[],
): Promise<string[][]> {
  const users = periods.map((): string[] => []);
  if (periods.length === 0) return users;
  const { connection } = manager;
  const metadata = connection.getMetadata(Souvenir);
  const when = metadata.findColumnWithPropertyName('when')!;
  const table = periodsTable(connection.options.type, periods, isTimestampWithTimeZone(when.type));
  if (connection.options.type === 'postgres') {
    // The planner cannot see how few periods `unnest` yields and would hash-join the
    // whole table; LATERAL makes each period an index-only range scan of
    // IDX_souvenirs_when_user, as in the active-users counts.
    const souvenirs = metadata.tablePath
      .split('.')
      .map((part) => connection.driver.escape(part))
      .join('.');
    const whenColumn = connection.driver.escape(when.databaseName);
    const userColumn = connection.driver.escape(metadata.findColumnWithPropertyName('userId')!.databaseName);
    const [sql, parameters] = connection.driver.escapeQueryWithParameters(
      `SELECT p.idx, a.user_id AS "userId" FROM ${table.sql} p CROSS JOIN LATERAL (` +
        `SELECT DISTINCT s.${userColumn} AS user_id FROM ${souvenirs} s ` +
        `WHERE s.${whenColumn} >= p.lo AND s.${whenColumn} < p.hi) a`,
      table.parameters,
    );
    const found: { idx: number | string; userId: string }[] = await manager.query(sql, parameters);
    for (const row of found) users[Number(row.idx)].push(String(row.userId));
    return users;
  }
  const rows = await manager
    .createQueryBuilder()
    .select('p.idx', 'idx')
    .addSelect('s.userId', 'userId')
    .distinct(true)
    .from(table.sql, 'p')
    .innerJoin(Souvenir, 's', 's.when >= p.lo AND s.when < p.hi')
    .setParameters(table.parameters)
    .getRawMany<{ idx: number | string; userId: string }>();
  for (const row of rows) users[Number(row.idx)].push(String(row.userId));
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
  const metadata = manager.connection.getMetadata(Souvenir).findColumnWithPropertyName('when')!;
  // Raw MIN/MAX skip the entity's conversion: let the driver read them as it reads the column.
  const read = (value: unknown): Date | null =>
    value === null || value === undefined ? null : (manager.connection.driver.prepareHydratedValue(value, metadata) as Date);
  return { first: read(row?.first), last: read(row?.last) };
}
