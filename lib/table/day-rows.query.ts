import type { EntityManager } from 'typeorm';
import { Souvenir } from './souvenir.entity.js';

/**
 * Every row in `[start, end)` as parallel arrays of user ids and instants (epoch
 * ms): what a day log of the active-users index is built from. One index range
 * scan of `IDX_souvenirs_when_user` (both columns are in it).
 *
 * @internal
 */
export async function rowsBetween(manager: EntityManager, start: Date, end: Date): Promise<{ users: string[]; whens: number[] }> {
  const rows = await manager
    .createQueryBuilder(Souvenir, 's')
    .select('s.userId', 'u')
    .addSelect('s.when', 'w')
    // `when` holds epoch milliseconds (see Souvenir).
    .where('s.when >= :lo AND s.when < :hi', { lo: start.getTime(), hi: end.getTime() })
    .getRawMany<{ u: unknown; w: unknown }>();
  // Raw values skip the entity's transformer: epoch milliseconds, as a number or a bigint string.
  return { users: rows.map((row) => String(row.u)), whens: rows.map((row) => Number(row.w)) };
}

/**
 * Which of the periods hold at least one row: one index probe each (`LIMIT 1` on
 * `IDX_souvenirs_when_user`), side by side.
 *
 * @internal
 */
export async function periodsWithRows(manager: EntityManager, periods: readonly (readonly [Date, Date])[]): Promise<boolean[]> {
  return Promise.all(
    periods.map(async ([start, end]) => {
      const row = await manager
        .createQueryBuilder(Souvenir, 's')
        .select('s.id', 'id')
        .where('s.when >= :lo AND s.when < :hi', { lo: start.getTime(), hi: end.getTime() })
        .limit(1)
        .getRawOne();
      return row !== undefined && row !== null;
    }),
  );
}
