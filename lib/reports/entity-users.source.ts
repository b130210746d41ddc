import type { EntityManager } from 'typeorm';
import type { UsersEntityOptions } from './users-source.interface.js';
import { dialectSqlOf } from '../table/sql/dialect-sql.js';
import { dateColumnEncoding } from '../table/sql/instant-encoding.js';
import type { RegisteredUsers, UsersScope, UsersSource } from './users-source.interface.js';
import { UnscopedUsersSourceError } from '../errors/unscoped-users-source.error.js';

/** Before any real registration date, and within MySQL's DATETIME range. */
const BEGINNING_OF_TIME = new Date('1000-01-01T00:00:00.000Z');

/**
 * Counts registered and activated users from the application's own users entity,
 * as described by the `users: { entity, joinedAt, isActive? }` option.
 *
 * Answers for any number of instants with ONE grouped query: users are counted per
 * slice between consecutive instants, and the slices are summed up in order.
 *
 * @internal
 */
export class EntityUsersSource implements UsersSource {
  /** A tenant's users through the option's `tenant` property. */
  readonly supportsScope = true;

  /** A tenant's users only when the option names the entity's `tenant` property. */
  canScope(scope: UsersScope): boolean {
    return scope.tenant === undefined || this.options.tenant !== undefined;
  }

  constructor(
    private readonly manager: EntityManager,
    private readonly options: UsersEntityOptions,
  ) {}

  /** @throws UnscopedUsersSourceError for a tenant's users when the option names no `tenant` property. */
  async registeredUsersAsOf(instants: readonly Date[], scope?: UsersScope): Promise<RegisteredUsers[]> {
    if (scope?.tenant !== undefined && this.options.tenant === undefined) throw new UnscopedUsersSourceError(['tenant']);
    if (instants.length === 0) return [];
    const cuts = [...new Set(instants.map((instant) => instant.getTime()))].sort((a, b) => a - b).map((ms) => new Date(ms));

    const rows = await this.countPerSlice(cuts, scope?.tenant);
    const perSlice = new Map(rows.map((row) => [Number(row.idx), row]));
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

  /**
   * Users who joined in each slice between consecutive cuts: slice `i` is
   * [cut i-1, cut i), slice 0 everything before the first cut. Where the dialect can
   * (PostgreSQL's `width_bucket`), each user's slice is found by binary search in one
   * pass over the users; elsewhere a table of the slices is joined. With `tenant`, only the
   * users whose tenant property equals it.
   */
  private countPerSlice(cuts: readonly Date[], tenant: string | undefined): Promise<SliceRow[]> {
    const { entity, joinedAt, isActive } = this.options;
    const { connection } = this.manager;
    const sql = dialectSqlOf(connection);
    // The application's own date column: bound as Dates, converted by the driver as its values are.
    const encoding = dateColumnEncoding(connection.getMetadata(entity).findColumnWithPropertyName(joinedAt)?.type);
    const activated = isActive ? `SUM(CASE WHEN u.${isActive} THEN 1 ELSE 0 END)` : 'COUNT(*)';
    const query = this.manager.createQueryBuilder().addSelect('COUNT(*)', 'registered').addSelect(activated, 'activated');
    const ofTenant = tenant === undefined ? '' : ` AND u.${this.options.tenant} = :tenant`;
    const slice = sql.sliceOf(`u.${joinedAt}`, 'cuts', encoding);
    if (slice !== null) {
      return query
        .addSelect(slice, 'idx')
        .from(entity, 'u')
        .where(`u.${joinedAt} < :last${ofTenant}`, { cuts, last: cuts[cuts.length - 1], tenant })
        .groupBy('idx')
        .getRawMany();
    }
    const slices = cuts.map((cut, i): [Date, Date] => [i === 0 ? BEGINNING_OF_TIME : cuts[i - 1], cut]);
    const table = sql.periodsTable(slices, encoding);
    return query
      .addSelect('p.idx', 'idx')
      .from(table.sql, 'p')
      .innerJoin(entity, 'u', `u.${joinedAt} >= p.lo AND u.${joinedAt} < p.hi${ofTenant}`, { tenant })
      .groupBy('p.idx')
      .setParameters(table.parameters)
      .getRawMany();
  }
}

interface SliceRow {
  idx: number | string;
  registered: number | string;
  activated: number | string | null;
}
