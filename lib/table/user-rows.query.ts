import type { EntityManager } from 'typeorm';
import { Souvenir } from './souvenir.entity.js';

/**
 * Rows per page when one user's rows are deleted or exported, and per DELETE of a
 * prune: a statement of this many bound ids stays far below every database's limits
 * (SQLite's 32,766 variables, MariaDB's max_allowed_packet), and one DELETE holds its
 * locks only briefly beside traffic.
 */
export const ROWS_PER_PAGE = 1000;

/**
 * Which of a user's rows: all of them (`undefined`), or those of one tenant (`null`:
 * those recorded with no tenant).
 */
export type TenantScope = string | null | undefined;

/** The rows of `userId` in `tenant` (see {@link TenantScope}) as a query, on IDX_souvenirs_user_when. */
function userRows(manager: EntityManager, userId: string, tenant: TenantScope) {
  const query = manager.createQueryBuilder(Souvenir, 's').where('s.userId = :userId', { userId });
  if (tenant === null) query.andWhere('s.tenant IS NULL');
  else if (tenant !== undefined) query.andWhere('s.tenant = :tenant', { tenant });
  return query;
}

/** One page of a user's rows, oldest first, after the row `afterId` (keyset paging on the primary key). */
function userRowsPage(manager: EntityManager, userId: string, afterId: number, tenant: TenantScope): Promise<Souvenir[]> {
  return userRows(manager, userId, tenant).andWhere('s.id > :afterId', { afterId }).orderBy('s.id', 'ASC').limit(ROWS_PER_PAGE).getMany();
}

/** Every row of `userId` in `tenant` (see {@link TenantScope}), oldest first, read a page at a time as the caller iterates. @internal */
export async function* eachUserRow(manager: EntityManager, userId: string, tenant?: TenantScope): AsyncGenerator<Souvenir> {
  for (let afterId = 0; ; ) {
    const page = await userRowsPage(manager, userId, afterId, tenant);
    if (page.length === 0) return;
    yield* page;
    afterId = page[page.length - 1].id;
  }
}

/** What {@link deleteUserRows} deleted. @internal */
export interface DeletedUserRows {
  /** The instants of the rows (their days leave the index). */
  readonly whens: Date[];
  /** The tenants they were recorded in (`null`: none): the user's rate-limit subjects. */
  readonly tenants: Set<string | null>;
}

/**
 * Deletes the rows of `userId` (in `tenant`, see {@link TenantScope}), a page at a time
 * (a SELECT of ids on IDX_souvenirs_user_when, then one DELETE of those ids), so no
 * statement grows with the user's history.
 *
 * @internal
 */
export async function deleteUserRows(manager: EntityManager, userId: string, tenant?: TenantScope): Promise<DeletedUserRows> {
  const deleted: DeletedUserRows = { whens: [], tenants: new Set() };
  for (;;) {
    const page = await userRowsPage(manager, userId, 0, tenant);
    if (page.length === 0) return deleted;
    await deleteIds(manager, page.map(({ id }) => id));
    for (const row of page) {
      deleted.whens.push(row.when);
      deleted.tenants.add(row.tenant);
    }
  }
}

/** The latest `when` of `userId` (in `tenant`, see {@link TenantScope}), or `null`: one look-up of IDX_souvenirs_user_when. @internal */
export async function lastWhenOf(manager: EntityManager, userId: string, tenant?: TenantScope): Promise<Date | null> {
  const row = await userRows(manager, userId, tenant).select('MAX(s.when)', 'last').getRawOne<{ last: unknown }>();
  // Raw MAX skips the entity's transformer: epoch milliseconds, as a number or a bigint string.
  return row?.last === null || row?.last === undefined ? null : new Date(Number(row.last));
}

/**
 * Deletes up to {@link ROWS_PER_PAGE} rows older than `before` (the oldest first):
 * one SELECT of ids on IDX_souvenirs_when_user, one DELETE of them. Returns the
 * instants deleted (none: nothing older is left).
 *
 * @internal
 */
export async function deleteRowsBeforeBatch(manager: EntityManager, before: Date): Promise<Date[]> {
  const page = await manager
    .createQueryBuilder(Souvenir, 's')
    .where('s.when < :before', { before: before.getTime() })
    .orderBy('s.when', 'ASC')
    .limit(ROWS_PER_PAGE)
    .getMany();
  if (page.length > 0) await deleteIds(manager, page.map(({ id }) => id));
  return page.map(({ when }) => when);
}

/** How many rows are older than `before`: one range count on IDX_souvenirs_when_user. @internal */
export async function countRowsBefore(manager: EntityManager, before: Date): Promise<number> {
  return manager.createQueryBuilder(Souvenir, 's').where('s.when < :before', { before: before.getTime() }).getCount();
}

async function deleteIds(manager: EntityManager, ids: readonly number[]): Promise<void> {
  await manager.createQueryBuilder().delete().from(Souvenir).where('id IN (:...ids)', { ids }).execute();
}
