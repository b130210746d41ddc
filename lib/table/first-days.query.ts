import type { EntityManager } from 'typeorm';
import { Souvenir } from './souvenir.entity.js';

/**
 * Every user's first `when` ever (epoch milliseconds), earliest first: what first
 * activity is built from. One statement, one pass over the `user, when` index;
 * earliest first so that consecutive users mostly share a local day (the calendar
 * then finds it without zone arithmetic).
 *
 * @internal
 */
export async function firstWhenPerUser(manager: EntityManager): Promise<Array<readonly [user: string, firstMs: number]>> {
  const rows = await manager
    .createQueryBuilder(Souvenir, 's')
    .select('s.userId', 'userId')
    .addSelect('MIN(s.when)', 'first')
    .groupBy('s.userId')
    .orderBy('MIN(s.when)', 'ASC')
    .getRawMany<{ userId: unknown; first: unknown }>();
  // Raw MIN skips the entity's transformer: epoch milliseconds, as a number or a bigint string.
  return rows.map((row) => [String(row.userId), Number(row.first)] as const);
}
