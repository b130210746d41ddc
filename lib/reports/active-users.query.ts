import type { EntityManager } from 'typeorm';
import { Souvenir } from '../activity/souvenir.entity.js';
import { isTimestampWithTimeZone, periodsTable } from './periods-table.js';

/** PostgreSQL: periods per statement, and statements at most, of one count. */
const POSTGRES_CHUNK = 400;
const POSTGRES_MAX_STATEMENTS = 8;

/**
 * Distinct active users of every period, in a number of statements that does not
 * grow with the number of periods.
 *
 * On PostgreSQL each period is a LATERAL index-only range scan of
 * `IDX_souvenirs_when_user`, and distinct users are compared bytewise
 * (`COLLATE "C"`): ids only need equality, not the database's linguistic order,
 * which costs several times more per comparison. Long reports are split into at
 * most 8 statements run side by side on the pool, so the server's cores share
 * the work (and each stays cheap enough not to be JIT-compiled). Elsewhere, one
 * join of the periods table with the souvenirs, grouped by period.
 *
 * @internal
 */
export async function countActiveUsersPerPeriod(
  manager: EntityManager,
  periods: readonly (readonly [Date, Date])[],
): Promise<number[]> {
  if (manager.connection.options.type !== 'postgres') return countInOneStatement(manager, periods);
  const size = Math.max(POSTGRES_CHUNK, Math.ceil(periods.length / POSTGRES_MAX_STATEMENTS));
  const chunks: Promise<number[]>[] = [];
  for (let from = 0; from < periods.length; from += size) {
    chunks.push(countInOneStatement(manager, periods.slice(from, from + size)));
  }
  return (await Promise.all(chunks)).flat();
}

async function countInOneStatement(manager: EntityManager, periods: readonly (readonly [Date, Date])[]): Promise<number[]> {
  const { connection } = manager;
  const metadata = connection.getMetadata(Souvenir);
  const when = metadata.findColumnWithPropertyName('when')!;
  const table = periodsTable(connection.options.type, periods, isTimestampWithTimeZone(when.type));

  let rows: { idx: number | string; active: number | string }[];
  if (connection.options.type === 'postgres') {
    const souvenirs = metadata.tablePath
      .split('.')
      .map((part) => connection.driver.escape(part))
      .join('.');
    const whenColumn = connection.driver.escape(when.databaseName);
    const userColumn = connection.driver.escape(metadata.findColumnWithPropertyName('userId')!.databaseName);
    const [sql, parameters] = connection.driver.escapeQueryWithParameters(
      `SELECT p.idx, a.active FROM ${table.sql} p CROSS JOIN LATERAL (` +
        `SELECT COUNT(DISTINCT s.${userColumn} COLLATE "C") AS active FROM ${souvenirs} s ` +
        `WHERE s.${whenColumn} >= p.lo AND s.${whenColumn} < p.hi) a`,
      table.parameters,
    );
    rows = await manager.query(sql, parameters);
  } else {
    rows = await manager
      .createQueryBuilder()
      .select('p.idx', 'idx')
      .addSelect('COUNT(DISTINCT s.userId)', 'active')
      .from(table.sql, 'p')
      .innerJoin(Souvenir, 's', 's.when >= p.lo AND s.when < p.hi')
      .groupBy('p.idx')
      .setParameters(table.parameters)
      .getRawMany();
  }
  const active = new Array<number>(periods.length).fill(0);
  for (const row of rows) active[Number(row.idx)] = Number(row.active);
  return active;
}
