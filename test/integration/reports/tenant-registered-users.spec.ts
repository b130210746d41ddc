import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ActiveDaySets } from '../../../lib/active-users/active-day-sets.js';
import { ActiveUsersIndex } from '../../../lib/active-users/active-users.index.js';
import { SouvenirsCalendar } from '../../../lib/calendar/souvenirs-calendar.js';
import { UnscopedUsersSourceError } from '../../../lib/errors/unscoped-users-source.error.js';
import { AnalyticsReports } from '../../../lib/reports/analytics.reports.js';
import { EntityUsersSource } from '../../../lib/reports/entity-users.source.js';
import { ReportsService } from '../../../lib/reports/reports.service.js';
import type { UsersEntityOptions } from '../../../lib/reports/users-source.interface.js';
import { MemorySouvenirsStore } from '../../../lib/store/memory/memory-souvenirs.store.js';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { DIALECTS, createTestDatabase, type Dialect, type TestDatabase } from '../../support/databases.js';
import { TestSeat } from '../../support/test-seat.entity.js';
import { resolvedOptions } from '../activity/activity-test-kit.js';

const at = (iso: string) => new Date(`${iso}T12:00:00Z`);
// Seats of acme (3, one not activated) and of a tenant spelt like SQL, joined over three months.
const SEATS: [string, string, boolean][] = [
  ['2026-01-10', 'acme', true], ['2026-02-10', 'acme', false], ['2026-03-10', 'acme', true],
  ['2026-01-20', "o'brien; --", true], ['2026-02-20', 'globex', true],
];

describe.each(DIALECTS)('registered and activated users of one tenant (users.tenant) on %s', (dialect: Dialect) => {
  let database: TestDatabase;
  const reportsWith = (users: UsersEntityOptions) => {
    const options = resolvedOptions({ timeZone: 'UTC', now: () => at('2026-03-20') });
    const calendar = new SouvenirsCalendar(options);
    const repository = database.dataSource.getRepository(Souvenir);
    const index = new ActiveUsersIndex(repository, new MemorySouvenirsStore(), calendar);
    const source = new EntityUsersSource(database.dataSource.manager, users);
    return new ReportsService(repository, options, calendar, source, index, new AnalyticsReports(calendar, new ActiveDaySets(repository, index)));
  };

  beforeAll(async () => {
    database = await createTestDatabase(dialect, { entities: [TestSeat] });
    await database.dataSource.getRepository(TestSeat).insert(SEATS.map(([day, organisation, isActive]) => ({ joinedAt: at(day), organisation, isActive })));
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('registeredUsersAsOf and the usage reports count only the tenant’s users', async () => {
    const reports = reportsWith({ entity: TestSeat, joinedAt: 'joinedAt', isActive: 'isActive', tenant: 'organisation' });
    expect(await reports.forTenant('acme').registeredUsersAsOf(at('2026-03-01'))).toEqual({ registered: 2, activated: 1 });
    expect(await reports.forTenant("o'brien; --").registeredUsersAsOf(at('2026-03-01'))).toEqual({ registered: 1, activated: 1 });
    expect(await reports.registeredUsersAsOf(at('2026-03-01'))).toEqual({ registered: 4, activated: 3 });
    const months = await reports.forTenant('acme').calendarMonthlyUsage({ start: at('2026-01-01'), end: new Date('2026-04-01T00:00:00Z') });
    expect(months.map((row) => [row.usage.registeredUsers, row.usage.activatedUsers])).toEqual([
      [1, 1],
      [2, 1],
      [3, 2],
    ]);
  });

  it('without users.tenant a tenant’s registered users are unknown: null in usage reports, refused by registeredUsersAsOf', async () => {
    const reports = reportsWith({ entity: TestSeat, joinedAt: 'joinedAt', isActive: 'isActive' });
    const [month] = await reports.forTenant('acme').calendarMonthlyUsage({ start: at('2026-03-01'), end: at('2026-04-01') });
    expect(month.usage).toEqual({ registeredUsers: null, activatedUsers: null, activeUsers: 0 });
    await expect(reports.forTenant('acme').registeredUsersAsOf(at('2026-03-01'))).rejects.toBeInstanceOf(UnscopedUsersSourceError);
    expect(await reports.registeredUsersAsOf(at('2026-03-01'))).toEqual({ registered: 4, activated: 3 });
  });
});
