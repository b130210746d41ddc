import type { EntityManager, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import { In, MoreThan } from 'typeorm';
import type { UserRef } from '../activity/user-ref.js';
import { usersEntityKey, type SubsetUsersEntity, type UserSubset } from '../activity/user-subset.js';
import { usersActiveSince } from '../table/subset-activity.query.js';

/** Users of the entity read, and checked for activity, per page: what the listing holds in memory at once. */
export const INACTIVE_USERS_PAGE = 1_000;

/**
 * The users of the users entity with no activity at or after `since` (idle seats),
 * within `subset` when given, of `tenant` when given (its users, idle in it): page by page, each page of the entity (keyset-paginated
 * on its primary column, or a page of the subset's ids that are users of it) checked
 * against the souvenirs table in one query, so memory stays one page whatever the
 * number of users. Each user is its primary column's value, as the entity holds it.
 *
 * @internal
 */
export async function* inactiveUsersOf(
  manager: EntityManager,
  users: SubsetUsersEntity,
  since: Date,
  subset: UserSubset | undefined,
  tenant?: { readonly property: string; readonly value: string },
): AsyncGenerator<UserRef> {
  const key = usersEntityKey(manager, users.entity);
  const repository = manager.getRepository<ObjectLiteral>(users.entity);
  const select = key.column.embeddedMetadata ? undefined : { [key.property]: true };
  // A tenant's seats: its users (holding it in `users.tenant`), idle in it.
  const ofTenant = tenant ? { [tenant.property]: tenant.value } : {};
  const idle = async function* (rows: readonly ObjectLiteral[]): AsyncGenerator<UserRef> {
    const values = rows.map((row) => key.column.getEntityValue(row) as unknown);
    const active = await usersActiveSince(manager, since, values.map((value) => key.idOf(value)), tenant?.value ?? null);
    for (const value of values) {
      const id = key.idOf(value);
      if (!active.has(id)) yield typeof value === 'number' || typeof value === 'string' ? value : id;
    }
  };
  if (subset) {
    // An id the key column cannot hold ('alice' for an integer key) names no user of it.
    const ids = subset.ids.filter((id) => key.accepts(id));
    for (let from = 0; from < ids.length; from += INACTIVE_USERS_PAGE) {
      const where = { ...ofTenant, [key.property]: In(ids.slice(from, from + INACTIVE_USERS_PAGE)) } as FindOptionsWhere<ObjectLiteral>;
      yield* idle(await repository.find({ where, select, order: { [key.property]: 'ASC' } }));
    }
    return;
  }
  let after: unknown;
  for (;;) {
    const where = (after === undefined ? ofTenant : { ...ofTenant, [key.property]: MoreThan(after) }) as FindOptionsWhere<ObjectLiteral>;
    const page = await repository.find({ where, select, order: { [key.property]: 'ASC' }, take: INACTIVE_USERS_PAGE });
    if (page.length === 0) return;
    yield* idle(page);
    if (page.length < INACTIVE_USERS_PAGE) return;
    after = key.column.getEntityValue(page[page.length - 1]);
  }
}
