import type { EntityManager } from 'typeorm';
import { Souvenir } from './souvenir.entity.js';
import { dialectSqlOf } from './sql/dialect-sql.js';

// The SQL of first activity (each user's first local day ever, which retention and
// lifecycle read): every user's first `when`, to build it, and the users first active
// in a window, when the store keeps none.

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

/**
 * The users whose first activity ever falls in `[start, end)`: active in it and
 * never before it. One statement: the window's distinct users (the `when, user`
 * index), each checked for an earlier row by the `user, when` index, so its cost
 * follows the window, not the whole history. The bounds go through the periods table, as
 * every other report binds its instants. With `tenant`, first activity in that tenant:
 * only its rows are read, in the window and before it.
 *
 * @internal
 */
export async function usersFirstActiveIn(manager: EntityManager, start: Date, end: Date, tenant: string | null = null): Promise<string[]> {
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
    .innerJoin(Souvenir, 's', `s.when >= p.lo AND s.when < p.hi${tenant === null ? '' : ' AND s.tenant = :tenant'}`)
    .getQuery();
  const query = manager.createQueryBuilder().select('u.uid', 'userId').from(users, 'u');
  const earlier = query
    .subQuery()
    .select('1')
    .from(Souvenir, 'o')
    .where(`o.userId = u.uid${tenant === null ? '' : ' AND o.tenant = :tenant'}`)
    .andWhere('o.when < u.lo')
    .getQuery();
  const parameters = tenant === null ? table.parameters : { ...table.parameters, tenant };
  const rows = await query.where(`NOT EXISTS ${earlier}`).setParameters(parameters).getRawMany<{ userId: string }>();
  return rows.map((row) => String(row.userId));
}
