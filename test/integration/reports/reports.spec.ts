import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import type { DataSource, Logger as TypeOrmLogger } from 'typeorm';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { InvalidDateError } from '../../../lib/errors/invalid-date.error.js';
import { InvalidRangeError } from '../../../lib/errors/invalid-range.error.js';
import { ReportsService } from '../../../lib/reports/reports.service.js';
import type { UsageRow } from '../../../lib/reports/usage-row.interface.js';
import { SouvenirsModule } from '../../../lib/souvenirs.module.js';
import { DIALECTS, createTestDatabase, type Dialect } from '../../support/databases.js';
import { TestUser } from '../../support/test-user.entity.js';

// Ported from django-souvenirs' souvenirs/tests/test_reports.py, whose settings use
// TIME_ZONE = 'America/New_York'.
const zone = 'America/New_York';
const local = (year: number, month: number, day: number, hour = 0) =>
  DateTime.fromObject({ year, month, day, hour }, { zone }).toJSDate();
const subscriptionStart = local(2010, 1, 24, 22);
const now = local(2017, 4, 3, 23);
/** The subscription's wall-clock day and time, in another year and month (Python's `.replace`). */
const makeWhen = (year: number, month: number, day = 24) => local(year, month, day, 22);
const calendarWhen = (year: number, month: number) => local(year, month, 1, 0);

/** Counts SQL statements, to hold reports to a constant number of round trips. */
class QueryCounter implements TypeOrmLogger {
  queries = 0;
  logQuery() {
    this.queries += 1;
  }
  logQueryError() {}
  logQuerySlow() {}
  logSchemaBuild() {}
  logMigration() {}
  log() {}
}

type Usage = [number, number, number];
const row = (usage: Usage, start: Date, end: Date, labels: Record<string, string | number>): UsageRow => ({
  period: { start, end },
  labels,
  usage: { registeredUsers: usage[0], activatedUsers: usage[1], activeUsers: usage[2] },
});
const pad = (n: number) => String(n).padStart(2, '0');
const monthLabels = (yn: number, mn: number, qn: number) => ({
  yearMonth: `Y${pad(yn)} M${pad(mn)}`,
  yearQuarter: `Y${pad(yn)} Q${qn}`,
  year: `Y${pad(yn)}`,
});
const nonZero = (rows: UsageRow[]) => rows.filter((r) => r.usage.activeUsers);

describe.each(DIALECTS)('ReportsService on %s', (dialect: Dialect) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let moduleRef: TestingModule;
  let reports: ReportsService;
  const counter = new QueryCounter();

  beforeAll(async () => {
    database = await createTestDatabase(dialect, { entities: [TestUser] });
    moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({ ...database.options, logger: counter, logging: true } as never),
        SouvenirsModule.forRoot({
          timeZone: zone,
          now: () => now,
          users: { entity: TestUser, joinedAt: 'dateJoined', isActive: 'isActive' },
          track: false,
        }),
      ],
    }).compile();
    reports = moduleRef.get(ReportsService);
    // One user per souvenir, joined when seen (the original SouvenirFactory).
    const dataSource = moduleRef.get<DataSource>(getDataSourceToken());
    const whens = [...Array.from({ length: 8 }, (_, i) => local(2010 + i, 2, 14, 12)), local(2015, 10, 17, 12)];
    for (const when of whens) {
      const user = await dataSource.getRepository(TestUser).save({ dateJoined: when, isActive: true });
      await dataSource.getRepository(Souvenir).insert({ userId: String(user.id), when });
    }
  });

  afterAll(async () => {
    await moduleRef?.close();
    await database?.drop();
  });

  it('dailyUsage: 2627 days over 7 years, 70 days, with the activity on its days', async () => {
    const daus = await reports.dailyUsage(subscriptionStart);
    expect(daus).toHaveLength(2627);
    const day = (yn: number, mn: number, qn: number, usage: Usage, year: number, month: number, d: number) =>
      row(usage, makeWhen(year, month, d), makeWhen(year, month, d + 1), monthLabels(yn, mn, qn));
    expect(nonZero(daus)).toEqual([
      day(1, 1, 1, [1, 1, 1], 2010, 2, 13),
      day(2, 1, 1, [2, 2, 1], 2011, 2, 13),
      day(3, 1, 1, [3, 3, 1], 2012, 2, 13),
      day(4, 1, 1, [4, 4, 1], 2013, 2, 13),
      day(5, 1, 1, [5, 5, 1], 2014, 2, 13),
      day(6, 1, 1, [6, 6, 1], 2015, 2, 13),
      day(6, 9, 3, [7, 7, 1], 2015, 10, 16),
      day(7, 1, 1, [8, 8, 1], 2016, 2, 13),
      day(8, 1, 1, [9, 9, 1], 2017, 2, 13),
    ]);
    const when = makeWhen(2013, 2);
    expect(await reports.dailyUsage(subscriptionStart, { start: when })).toHaveLength(1500);
    expect(await reports.dailyUsage(subscriptionStart, { end: when })).toHaveLength(1127);
    expect(await reports.dailyUsage(subscriptionStart, { start: when, end: when })).toHaveLength(0);
  });

  it('customerMonthlyUsage: 87 months labelled from the subscription start', async () => {
    const maus = await reports.customerMonthlyUsage(subscriptionStart);
    expect(maus).toHaveLength(87);
    const month = (yn: number, mn: number, qn: number, usage: Usage, year: number, m: number) =>
      row(usage, makeWhen(year, m), makeWhen(year, m + 1), monthLabels(yn, mn, qn));
    expect(nonZero(maus)).toEqual([
      month(1, 1, 1, [1, 1, 1], 2010, 1),
      month(2, 1, 1, [2, 2, 1], 2011, 1),
      month(3, 1, 1, [3, 3, 1], 2012, 1),
      month(4, 1, 1, [4, 4, 1], 2013, 1),
      month(5, 1, 1, [5, 5, 1], 2014, 1),
      month(6, 1, 1, [6, 6, 1], 2015, 1),
      month(6, 9, 3, [7, 7, 1], 2015, 9),
      month(7, 1, 1, [8, 8, 1], 2016, 1),
      month(8, 1, 1, [9, 9, 1], 2017, 1),
    ]);
    const when = makeWhen(2013, 2);
    expect(await reports.customerMonthlyUsage(subscriptionStart, { start: when })).toHaveLength(50);
    expect(await reports.customerMonthlyUsage(subscriptionStart, { end: when })).toHaveLength(37);
    expect(await reports.customerMonthlyUsage(subscriptionStart, { start: when, end: when })).toHaveLength(0);
  });

  it('customerQuarterlyUsage: 29 quarters, the last cut at now', async () => {
    const qaus = await reports.customerQuarterlyUsage(subscriptionStart);
    expect(qaus).toHaveLength(29);
    const quarter = (yn: number, qn: number, usage: Usage, start: Date, end: Date) =>
      row(usage, start, end, { yearQuarter: `Y${pad(yn)} Q${qn}`, year: `Y${pad(yn)}` });
    expect(nonZero(qaus)).toEqual([
      quarter(1, 1, [1, 1, 1], makeWhen(2010, 1), makeWhen(2010, 4)),
      quarter(2, 1, [2, 2, 1], makeWhen(2011, 1), makeWhen(2011, 4)),
      quarter(3, 1, [3, 3, 1], makeWhen(2012, 1), makeWhen(2012, 4)),
      quarter(4, 1, [4, 4, 1], makeWhen(2013, 1), makeWhen(2013, 4)),
      quarter(5, 1, [5, 5, 1], makeWhen(2014, 1), makeWhen(2014, 4)),
      quarter(6, 1, [6, 6, 1], makeWhen(2015, 1), makeWhen(2015, 4)),
      quarter(6, 3, [7, 7, 1], makeWhen(2015, 7), makeWhen(2015, 10)),
      quarter(7, 1, [8, 8, 1], makeWhen(2016, 1), makeWhen(2016, 4)),
      quarter(8, 1, [9, 9, 1], makeWhen(2017, 1), now),
    ]);
    const when = makeWhen(2013, 2);
    expect(await reports.customerQuarterlyUsage(subscriptionStart, { start: when })).toHaveLength(17);
    expect(await reports.customerQuarterlyUsage(subscriptionStart, { end: when })).toHaveLength(13);
    expect(await reports.customerQuarterlyUsage(subscriptionStart, { start: when, end: when })).toHaveLength(0);
  });

  it('customerYearlyUsage: 8 years, the sixth with two active users', async () => {
    const yaus = await reports.customerYearlyUsage(subscriptionStart);
    expect(yaus).toHaveLength(8);
    const year = (yn: number, usage: Usage, start: Date, end: Date) => row(usage, start, end, { year: `Y${pad(yn)}` });
    expect(nonZero(yaus)).toEqual([
      year(1, [1, 1, 1], makeWhen(2010, 1), makeWhen(2011, 1)),
      year(2, [2, 2, 1], makeWhen(2011, 1), makeWhen(2012, 1)),
      year(3, [3, 3, 1], makeWhen(2012, 1), makeWhen(2013, 1)),
      year(4, [4, 4, 1], makeWhen(2013, 1), makeWhen(2014, 1)),
      year(5, [5, 5, 1], makeWhen(2014, 1), makeWhen(2015, 1)),
      year(6, [7, 7, 2], makeWhen(2015, 1), makeWhen(2016, 1)),
      year(7, [8, 8, 1], makeWhen(2016, 1), makeWhen(2017, 1)),
      year(8, [9, 9, 1], makeWhen(2017, 1), now),
    ]);
    const when = makeWhen(2013, 2);
    expect(await reports.customerYearlyUsage(subscriptionStart, { start: when })).toHaveLength(5);
    expect(await reports.customerYearlyUsage(subscriptionStart, { end: when })).toHaveLength(4);
    expect(await reports.customerYearlyUsage(subscriptionStart, { start: when, end: when })).toHaveLength(0);
  });

  it('calendarMonthlyUsage: 88 calendar months from the first of the start month', async () => {
    const cal = await reports.calendarMonthlyUsage({ start: subscriptionStart });
    expect(cal).toHaveLength(88);
    const month = (usage: Usage, year: number, m: number) =>
      row(usage, calendarWhen(year, m), calendarWhen(year, m + 1), {
        calendarYearMonth: `${year}-${pad(m)}`,
        calendarYear: year,
      });
    expect(nonZero(cal)).toEqual([
      month([1, 1, 1], 2010, 2),
      month([2, 2, 1], 2011, 2),
      month([3, 3, 1], 2012, 2),
      month([4, 4, 1], 2013, 2),
      month([5, 5, 1], 2014, 2),
      month([6, 6, 1], 2015, 2),
      month([7, 7, 1], 2015, 10),
      month([8, 8, 1], 2016, 2),
      month([9, 9, 1], 2017, 2),
    ]);
    expect(await reports.calendarMonthlyUsage({ start: calendarWhen(2013, 2), end: calendarWhen(2013, 5) })).toHaveLength(3);
    expect(await reports.calendarMonthlyUsage({ start: calendarWhen(2013, 2), end: calendarWhen(2013, 2) })).toHaveLength(0);
  });

  it('registeredUsersAsOf counts users who joined strictly before the date', async () => {
    expect(await reports.registeredUsersAsOf(local(2013, 2, 14, 12))).toEqual({ registered: 3, activated: 3 });
    expect(await reports.registeredUsersAsOf(local(2013, 2, 14, 13))).toEqual({ registered: 4, activated: 4 });
    expect(await reports.registeredUsersAsOf(local(2000, 1, 1))).toEqual({ registered: 0, activated: 0 });
  });

  it('answers a report in a number of SQL statements that does not grow with its periods', async () => {
    const statementsOf = async (report: () => Promise<unknown>) => {
      const before = counter.queries;
      await report();
      return counter.queries - before;
    };
    const sevenYears = await statementsOf(() => reports.dailyUsage(subscriptionStart));
    const twentyYears = await statementsOf(() => reports.dailyUsage(subscriptionStart, { end: local(2030, 1, 1) }));
    // One grouped query for registered users, and for active users at most one (the day logs of
    // every period, on first use; none once built), or the SQL count, which PostgreSQL splits into
    // at most 8 run side by side on the pool.
    const bound = dialect === 'postgres' ? 9 : 2;
    expect(sevenYears).toBeLessThanOrEqual(bound);
    expect(twentyYears).toBeLessThanOrEqual(bound);
    expect(sevenYears).toBeGreaterThanOrEqual(1);
  });

  it('usageForPeriods returns unlabelled rows for any periods, in order', async () => {
    const periods: [Date, Date][] = [
      [local(2015, 1, 1), local(2016, 1, 1)],
      [local(2010, 1, 1), local(2010, 3, 1)],
      [local(2030, 1, 1), local(2030, 1, 2)],
    ];
    expect(await reports.usageForPeriods(periods)).toEqual([
      { period: { start: periods[0][0], end: periods[0][1] }, usage: { registeredUsers: 7, activatedUsers: 7, activeUsers: 2 } },
      { period: { start: periods[1][0], end: periods[1][1] }, usage: { registeredUsers: 1, activatedUsers: 1, activeUsers: 1 } },
      { period: { start: periods[2][0], end: periods[2][1] }, usage: { registeredUsers: 9, activatedUsers: 9, activeUsers: 0 } },
    ]);
    expect(await reports.usageForPeriods([])).toEqual([]);
  });

  it('rejects bad dates and ranges with typed errors', async () => {
    await expect(reports.dailyUsage(new Date(Number.NaN))).rejects.toThrow(InvalidDateError);
    await expect(reports.customerMonthlyUsage(subscriptionStart, { start: now, end: subscriptionStart })).rejects.toThrow(
      InvalidRangeError,
    );
    await expect(reports.calendarMonthlyUsage({ start: now, end: subscriptionStart })).rejects.toThrow(/before its start/);
    await expect(reports.usageForPeriods([[now, subscriptionStart]])).rejects.toThrow(InvalidRangeError);
  });
});
