import type { EntityManager } from 'typeorm';
import type { UsersEntityOptions } from './users-source.interface.js';
import { dialectSqlOf } from '../table/sql/dialect-sql.js';
import { dateColumnEncoding } from '../table/sql/instant-encoding.js';
import type { RegisteredUsers, UsersScope, UsersSource } from './users-source.interface.js';
import { usersEntityKey } from '../activity/user-subset.js';
import { UnscopedUsersSourceError } from '../errors/unscoped-users-source.error.js';

/**
 * Keys of a subset bound per statement (one placeholder each): a subset's parts share
 * no user, so their counts add up. Within every driver's placeholder limit, beside a
 * report's cuts.
 */
const KEYS_PER_STATEMENT = 5_000;

/** Before any real registration date, and within MySQL's DATETIME range. */
const BEGINNING_OF_TIME = new Date('1000-01-01T00:00:00.000Z');

/**
 * Counts registered and activated users from the application's own users entity,
 * as described by the `users: { entity, joinedAt, isActive? }` option.
 *
 * Answers for any number of instants with ONE grouped query: users are counted per
 * slice between consecutive instants, and the slices are summed up in order. Within a
 * subset (`scope.among`), its users are the rows whose primary column holds one of
 * its ids (one query per {@link KEYS_PER_STATEMENT} of them); within a tenant
 * (`scope.tenant`), the rows whose `users.tenant` property holds it.
 *
 * @internal
 */
export class EntityUsersSource implements UsersSource {
  readonly supportsScope = true;

  constructor(
    private readonly manager: EntityManager,
    private readonly options: UsersEntityOptions,
  ) {}

  async registeredUsersAsOf(instants: readonly Date[], scope?: UsersScope): Promise<RegisteredUsers[]> {
    if (instants.length === 0) return [];
    const cuts = [...new Set(instants.map((instant) => instant.getTime()))].sort((a, b) => a - b).map((ms) => new Date(ms));

    const tenant = scope?.tenant;
    if (tenant !== undefined && !this.options.tenant) throw new UnscopedUsersSourceError(['tenant']);
    const rows = scope?.among ? await this.countPerSliceAmong(cuts, scope.among.ids, tenant) : await this.countPerSlice(cuts, undefined, tenant);
    const perSlice = new Map<number, { registered: number; activated: number }>();
    for (const row of rows) {
      const held = perSlice.get(Number(row.idx)) ?? { registered: 0, activated: 0 };
      held.registered += Number(row.registered ?? 0);
      held.activated += Number(row.activated ?? 0);
      perSlice.set(Number(row.idx), held);
    }
    const totals = new Map<number, RegisteredUsers>();
    let registered = 0;
    let activatedSoFar = 0;
    cuts.forEach((cut, i) => {
      const row = perSlice.get(i);
      registered += Number(row?.registered ?? 0);
      activatedSoFar += Number(row?.activated ?? 0);
      totals.set(cut.getTime(), { registered, activated: activatedSoFar });
    });
    return instants.map((instant) => ({ ...totals.get(instant.getTime())! }));
  }

  /** {@link countPerSlice} of the users whose key is one of `ids`, in parts (rows of every part, summed by the caller). */
  private async countPerSliceAmong(cuts: readonly Date[], ids: readonly string[], tenant: string | undefined): Promise<SliceRow[]> {
    const key = usersEntityKey(this.manager, this.options.entity);
    // An id the key column cannot hold ('alice' for an integer key) names no user of it.
    const keys = ids.filter((id) => key.accepts(id));
    const rows: SliceRow[] = [];
    for (let from = 0; from < keys.length; from += KEYS_PER_STATEMENT) {
      rows.push(...(await this.countPerSlice(cuts, { property: key.property, keys: keys.slice(from, from + KEYS_PER_STATEMENT) }, tenant)));
    }
    return rows;
  }

  /**
   * Users who joined in each slice between consecutive cuts: slice `i` is
   * [cut i-1, cut i), slice 0 everything before the first cut. Where the dialect can
   * (PostgreSQL's `width_bucket`), each user's slice is found by binary search in one
   * pass over the users; elsewhere a table of the slices is joined.
   */
  private countPerSlice(cuts: readonly Date[], among: { property: string; keys: readonly string[] } | undefined, tenant: string | undefined): Promise<SliceRow[]> {
    const { entity, joinedAt, isActive } = this.options;
    const { connection } = this.manager;
    const sql = dialectSqlOf(connection);
    // The application's own date column: bound as Dates, converted by the driver as its values are.
    const encoding = dateColumnEncoding(connection.getMetadata(entity).findColumnWithPropertyName(joinedAt)?.type);
    const activated = isActive ? `SUM(CASE WHEN u.${isActive} THEN 1 ELSE 0 END)` : 'COUNT(*)';
    const query = this.manager.createQueryBuilder().addSelect('COUNT(*)', 'registered').addSelect(activated, 'activated');
    const slice = sql.sliceOf(`u.${joinedAt}`, 'cuts', encoding);
    // The subset's keys and the tenant, as conditions on the users (a tenant's users hold it in `users.tenant`).
    const conditions = [...(among ? [`u.${among.property} IN (:...subsetKeys)`] : []), ...(tenant !== undefined ? [`u.${this.options.tenant} = :usersTenant`] : [])];
    const within = conditions.length > 0 ? conditions.join(' AND ') : '1 = 1';
    const withinParameters = { ...(among && { subsetKeys: among.keys }), ...(tenant !== undefined && { usersTenant: tenant }) };
    if (slice !== null) {
      return query
        .addSelect(slice, 'idx')
        .from(entity, 'u')
        .where(`u.${joinedAt} < :last`, { cuts, last: cuts[cuts.length - 1] })
        .andWhere(within, withinParameters)
        .groupBy('idx')
        .getRawMany();
    }
    const slices = cuts.map((cut, i): [Date, Date] => [i === 0 ? BEGINNING_OF_TIME : cuts[i - 1], cut]);
    const table = sql.periodsTable(slices, encoding);
    return query
      .addSelect('p.idx', 'idx')
      .from(table.sql, 'p')
      .innerJoin(entity, 'u', `u.${joinedAt} >= p.lo AND u.${joinedAt} < p.hi AND ${within}`)
      .groupBy('p.idx')
      .setParameters({ ...table.parameters, ...withinParameters })
      .getRawMany();
  }
}

interface SliceRow {
  idx: number | string;
  registered: number | string;
  activated: number | string | null;
}
