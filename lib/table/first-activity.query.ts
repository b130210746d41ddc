import type { EntityManager } from 'typeorm';
import { Souvenir } from './souvenir.entity.js';
import { dialectSqlOf } from './sql/dialect-sql.js';

/**
 * The users whose first activity ever falls in `[start, end)`: active in it and
 * never before it. One statement: the window's distinct users (the `when, user`
 * index), each checked for an earlier row by the `user, when` index, so its cost
 * follows the window, not the whole history. The bounds go through the periods table, as
 * every other report binds its instants.
 *
 * @internal
 */
export async function usersFirstActiveIn(manager: EntityManager, start: Date, end: Date): Promise<string[]> {
  if (end <= start) return [];
  // `when` holds epoch milliseconds (see Souvenir), so the bounds are bound as such.
  const table = dialectSqlOf(manager.connection).periodsTable([[start, end]], 'epoch-ms');
  // The window's distinct users first (one `when, user` index range scan), then one
  // `user, when` index probe per user for an earlier row: users, not rows, are probed.
  const users = manager
    .createQueryBuilder()
    .subQuery()
    .select('s.userId', 'uid')
    .addSelect('p.lo', 'lo')
    .distinct(true)
    .from(table.sql, 'p')
    .innerJoin(Souvenir, 's', 's.when >= p.lo AND s.when < p.hi')
    .getQuery();
  const query = manager.createQueryBuilder().select('u.uid', 'userId').from(users, 'u');
  const earlier = query.subQuery().select('1').from(Souvenir, 'o').where('o.userId = u.uid').andWhere('o.when < u.lo').getQuery();
  const rows = await query.where(`NOT EXISTS ${earlier}`).setParameters(table.parameters).getRawMany<{ userId: string }>();
  return rows.map((row) => String(row.userId));
}
