import 'reflect-metadata';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { MAX_SUBSET_USERS } from '../../../lib/activity/user-subset.js';
import { InvalidSubsetError } from '../../../lib/errors/invalid-subset.error.js';
import { UnscopedUsersSourceError } from '../../../lib/errors/unscoped-users-source.error.js';
import { UsersSourceMissingError } from '../../../lib/errors/users-source-missing.error.js';
import { InvalidDateError } from '../../../lib/errors/invalid-date.error.js';
import type { RegisteredUsers, UsersScope, UsersSource } from '../../../lib/reports/users-source.interface.js';
import type { Periods, UsageForPeriods } from '../../../lib/reports/usage-row.interface.js';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { dialectSqlOf } from '../../../lib/table/sql/dialect-sql.js';
import { createTestDatabase, DIALECTS, type Dialect, type TestDatabase } from '../../support/databases.js';
import { MapSouvenirsStore } from '../../support/map-souvenirs.store.js';
import { TestMember } from '../../support/test-member.entity.js';
import { EntityUsersSource } from '../../../lib/reports/entity-users.source.js';
import { createSubsetServices, subsetStore, TEST_USERS_OPTION } from './subset-kit.js';

const T0 = new Date('2024-05-01T00:00:00Z');
const T1 = new Date('2024-05-02T00:00:00Z');
const range = { start: T0, end: T1 };

/** The typed error a call rejects with, for its fields. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe.each(DIALECTS)('among: checks and bounds on %s', (dialect: Dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(dialect, { entities: [TestMember] });
  });
  afterAll(async () => {
    await db?.drop();
  });
  beforeEach(async () => {
    await db.dataSource.getRepository(Souvenir).clear();
    await db.dataSource.getRepository(TestMember).clear();
  });

  it.each([
    ['a string (iterable, but of characters)', 'alice', 'not-a-subset'],
    ['a number', 42, 'not-a-subset'],
    ['null', null, 'not-a-subset'],
    ['an array holding null', ['1', null], 'bad-user'],
    ['an array holding a blank id', [' '], 'bad-user'],
    ['a where that is no object', { where: 5 }, 'not-a-subset'],
    ['a where on a property the entity lacks', { where: { nope: 1 } }, 'bad-where'],
  ])('refuses %s with InvalidSubsetError', async (_, among, reason) => {
    const { activity, reports } = createSubsetServices(db, subsetStore('memory').store);
    const error = await rejection(activity.countActiveUsers({ ...range, among: among as never }));
    expect(error).toBeInstanceOf(InvalidSubsetError);
    expect((error as InvalidSubsetError).reason).toBe(reason);
    await expect(reports.usageForPeriods([[T0, T1]], { among: among as never })).rejects.toBeInstanceOf(InvalidSubsetError);
    await expect(reports.activeUsers({ ...range, among: among as never })).rejects.toBeInstanceOf(InvalidSubsetError);
  });

  it(`refuses more than MAX_SUBSET_USERS (${MAX_SUBSET_USERS}) users, and counts exactly that many`, async () => {
    const { activity } = createSubsetServices(db, subsetStore('memory').store);
    const ids = Array.from({ length: MAX_SUBSET_USERS + 1 }, (_, i) => `u${i}`);
    const error = await rejection(activity.countActiveUsers({ ...range, among: ids }));
    expect(error).toBeInstanceOf(InvalidSubsetError);
    expect(error).toMatchObject({ reason: 'too-large', maximum: MAX_SUBSET_USERS });
    await activity.backfill([{ user: 'u7', when: T0 }]);
    expect(await activity.countActiveUsers({ ...range, among: ids.slice(0, MAX_SUBSET_USERS) })).toBe(1);
  }, 60_000);

  it('refuses { where } without a users entity option', async () => {
    const { activity, reports } = createSubsetServices(db, subsetStore('memory').store, {}, null);
    const error = await rejection(activity.countActiveUsers({ ...range, among: { where: { plan: 'pro' } } }));
    expect(error).toMatchObject({ reason: 'no-users-entity' });
    expect(error).toBeInstanceOf(InvalidSubsetError);
    await expect(reports.activeUsers({ ...range, among: { where: { plan: 'pro' } } })).rejects.toBeInstanceOf(InvalidSubsetError);
    // The refs form needs no entity.
    expect(await activity.countActiveUsers({ ...range, among: ['1'] })).toBe(0);
  });

  it('counts a subset larger than one statement binds, from SQL (a store without the index), exactly', async () => {
    const { activity, reports } = createSubsetServices(db, new MapSouvenirsStore());
    const perStatement = dialectSqlOf(db.dataSource).userIdsPerStatement;
    const size = Math.min(MAX_SUBSET_USERS, perStatement * 2 + 17);
    const ids = Array.from({ length: size }, (_, i) => `u${i}`);
    // Active users spread over every part, and some outside the subset.
    const active = ids.filter((_, i) => i % 997 === 0 || i === size - 1);
    await activity.backfill([...active, 'outsider'].map((user, i) => ({ user, when: new Date(T0.getTime() + i * 1000) })));
    expect(await activity.countActiveUsers({ ...range, among: ids })).toBe(active.length);
    const [row] = await reports.usageForPeriods([[T0, T1]], { among: ids });
    expect(row.usage.activeUsers).toBe(active.length);
  }, 120_000);

  it('refuses a subset report from a UsersSource that does not declare supportsScope, and hands the scope to one that does', async () => {
    const legacy: UsersSource = { registeredUsersAsOf: async (instants) => instants.map(() => ({ registered: 99, activated: 99 })) };
    const { reports } = createSubsetServices(db, subsetStore('memory').store, {}, legacy);
    const error = await rejection(reports.registeredUsersAsOf(T1, { among: ['1'] }));
    expect(error).toBeInstanceOf(UnscopedUsersSourceError);
    await expect(reports.usageForPeriods([[T0, T1]], { among: ['1'] })).rejects.toBeInstanceOf(UnscopedUsersSourceError);
    // Site-wide, it answers as before: never handed a scope.
    expect(await reports.registeredUsersAsOf(T1)).toEqual({ registered: 99, activated: 99 });

    const seen: (UsersScope | undefined)[] = [];
    const scoped: UsersSource = {
      supportsScope: true,
      registeredUsersAsOf: async (instants: readonly Date[], scope?: UsersScope): Promise<RegisteredUsers[]> => {
        seen.push(scope);
        return instants.map(() => ({ registered: scope?.among?.ids.length ?? 0, activated: 0 }));
      },
    };
    const { reports: scopedReports } = createSubsetServices(db, subsetStore('memory').store, {}, scoped);
    expect(await scopedReports.registeredUsersAsOf(T1, { among: [2, '1', { id: 2 }] })).toEqual({ registered: 2, activated: 0 });
    expect(seen.at(-1)?.among?.ids).toEqual(['1', '2']);
  });

  it('runs the usageForPeriods override for subset reports: next counts within the subset, scope.among says which', async () => {
    const calls: { scope?: UsersScope }[] = [];
    const usageForPeriods = async (periods: Periods, next: UsageForPeriods, scope?: UsersScope) => {
      calls.push({ scope });
      return (await next(periods)).map((row) => ({ ...row, extra: 'added' }));
    };
    const { activity, reports } = createSubsetServices(db, subsetStore('memory').store, { usageForPeriods });
    await activity.backfill([
      { user: '1', when: T0 },
      { user: '2', when: T0 },
    ]);
    const rows = await reports.calendarMonthlyUsage({ start: T0, end: T1, among: ['2', 'ghost'] });
    expect(rows.map((row) => [row.usage.activeUsers, (row as unknown as { extra: string }).extra])).toEqual([[1, 'added']]);
    expect(calls.at(-1)?.scope?.among?.ids).toEqual(['2', 'ghost']);
    await reports.calendarMonthlyUsage({ start: T0, end: T1 });
    expect(calls.at(-1)?.scope).toBeUndefined();
  });

  it('inactiveUsers refuses a bad since, a missing users option and a UsersSource, on the first step', async () => {
    const { reports } = createSubsetServices(db, subsetStore('memory').store);
    const first = (users: AsyncIterable<unknown>) => users[Symbol.asyncIterator]().next();
    await expect(first(reports.inactiveUsers({ since: new Date(NaN) }))).rejects.toBeInstanceOf(InvalidDateError);
    const { reports: none } = createSubsetServices(db, subsetStore('memory').store, {}, null);
    await expect(first(none.inactiveUsers({ since: T0 }))).rejects.toBeInstanceOf(UsersSourceMissingError);
    const source: UsersSource = { registeredUsersAsOf: async () => [] };
    const { reports: custom } = createSubsetServices(db, subsetStore('memory').store, {}, source);
    await expect(first(custom.inactiveUsers({ since: T0 }))).rejects.toMatchObject({ reason: 'no-users-entity' });
  });
});

describe.each(DIALECTS)('EntityUsersSource within a scope on %s', (dialect: Dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(dialect, { entities: [TestMember] });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('counts registered and activated users of a subset, of a tenant (users.tenant), and of both', async () => {
    const joined = (day: number) => new Date(Date.UTC(2024, 4, day));
    await db.dataSource.getRepository(TestMember).insert([
      { id: 1, joinedAt: joined(1), isActive: true, org: 't1' },
      { id: 2, joinedAt: joined(2), isActive: false, org: 't1' },
      { id: 3, joinedAt: joined(3), isActive: true, org: 't2' },
      { id: 4, joinedAt: joined(4), isActive: true, org: null },
    ]);
    const source = new EntityUsersSource(db.dataSource.manager, TEST_USERS_OPTION);
    const among = (ids: string[]) => ({ ids, has: (id: string) => ids.includes(id) });
    const at = [joined(3), joined(10)];
    expect(await source.registeredUsersAsOf(at, { among: among(['2', '3', 'alice', '001']) })).toEqual([
      { registered: 1, activated: 0 },
      { registered: 2, activated: 1 },
    ]);
    expect(await source.registeredUsersAsOf(at, { tenant: 't1' })).toEqual([
      { registered: 2, activated: 1 },
      { registered: 2, activated: 1 },
    ]);
    expect(await source.registeredUsersAsOf(at, { tenant: 't1', among: among(['2', '3']) })).toEqual([
      { registered: 1, activated: 0 },
      { registered: 1, activated: 0 },
    ]);
    const { tenant: _tenant, ...withoutTenant } = TEST_USERS_OPTION;
    await expect(new EntityUsersSource(db.dataSource.manager, withoutTenant).registeredUsersAsOf(at, { tenant: 't1' })).rejects.toBeInstanceOf(UnscopedUsersSourceError);
  });
});
