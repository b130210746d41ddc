import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import type { DataSource, Logger as TypeOrmLogger } from 'typeorm';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { InvalidDateError } from '../../../lib/errors/invalid-date.error.js';
import { InvalidOptionError } from '../../../lib/errors/invalid-option.error.js';
import { InvalidRangeError } from '../../../lib/errors/invalid-range.error.js';
import { RangeTooLargeError } from '../../../lib/errors/range-too-large.error.js';
import { MAX_ANALYTICS_DAYS } from '../../../lib/reports/analytics.reports.js';
import { ReportsService } from '../../../lib/reports/reports.service.js';
import { SouvenirsModule } from '../../../lib/souvenirs.module.js';
import { DIALECTS, createTestDatabase, type Dialect } from '../../support/databases.js';

const zone = 'Europe/Paris';
const at = (iso: string, hour = 12) => DateTime.fromISO(iso, { zone }).set({ hour }).toJSDate();
const midnight = (iso: string) => DateTime.fromISO(iso, { zone }).startOf('day').toJSDate();

/** Counts SQL statements, to hold the analytics to a bounded number of round trips. */
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

// Hand-made activity, in Paris (DST starts on Sunday 2024-03-31: a 23-hour day):
// - old: active 10 December and 12 February (resurrecting in February, never new);
// - gone: active only 20 January (dormant in February);
// - fresh: first active 5 February, then 6, 7 and 20 February, and 31 March;
// - daily: active every day from 1 January to 31 March.
const ACTIVITY: [string, string][] = [
  ['old', '2023-12-10'],
  ['old', '2024-02-12'],
  ['gone', '2024-01-20'],
  ['fresh', '2024-02-05'],
  ['fresh', '2024-02-06'],
  ['fresh', '2024-02-07'],
  ['fresh', '2024-02-20'],
  ['fresh', '2024-03-31'],
];
for (let day = DateTime.fromISO('2024-01-01', { zone: 'utc' }); day.toISODate()! <= '2024-03-31'; day = day.plus({ days: 1 })) {
  ACTIVITY.push(['daily', day.toISODate()!]);
}

describe.each(DIALECTS)('ReportsService active-user analytics on %s', (dialect: Dialect) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let moduleRef: TestingModule;
  let reports: ReportsService;
  const counter = new QueryCounter();

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({ ...database.options, logger: counter, logging: true } as never),
        SouvenirsModule.forRoot({ timeZone: zone, weekStart: 7, now: () => at('2024-04-15'), track: false }),
      ],
    }).compile();
    reports = moduleRef.get(ReportsService);
    await moduleRef.get<DataSource>(getDataSourceToken()).getRepository(Souvenir).insert(ACTIVITY.map(([userId, day]) => ({ userId, when: at(day) })));
  });
  afterAll(async () => {
    await moduleRef?.close();
    await database?.drop();
  });

  it('lifecycle: a user active only before the range is not new; dormant and resurrecting users of February', async () => {
    const [february] = await reports.lifecycle({ start: midnight('2024-02-01'), end: midnight('2024-03-01'), period: 'month' });
    expect(february).toEqual({
      period: { start: midnight('2024-02-01'), end: midnight('2024-03-01') },
      new: 1, // fresh
      returning: 1, // daily
      resurrecting: 1, // old: active in December, not in January
      dormant: 1, // gone
    });
  });

  it('lifecycle: users active the day before the first day are dormant on it', async () => {
    const [first, second] = await reports.lifecycle({ start: midnight('2024-02-08'), end: midnight('2024-02-10'), period: 'day' });
    expect(first).toMatchObject({ new: 0, returning: 1, resurrecting: 0, dormant: 1 }); // fresh was active on 7 February
    expect(second).toMatchObject({ new: 0, returning: 1, resurrecting: 0, dormant: 0 });
  });

  it('retention: cohorts by first activity ever, retained[0] === size, unbounded never increasing', async () => {
    const range = { start: midnight('2023-12-01'), end: midnight('2024-04-01'), period: 'month' as const };
    const classic = await reports.retention({ ...range, mode: 'classic' });
    const unbounded = await reports.retention({ ...range, mode: 'unbounded' });
    expect(classic.map(({ size, retained }) => [size, retained])).toEqual([
      [1, [1, 0, 1, 0]], // December: old, back in February
      [2, [2, 1, 1]], // January: gone, daily
      [1, [1, 1]], // February: fresh
      [0, [0]],
    ]);
    expect(unbounded.map(({ size, retained }) => [size, retained])).toEqual([
      [1, [1, 1, 1, 0]],
      [2, [2, 1, 1]],
      [1, [1, 1]],
      [0, [0]],
    ]);
    for (const cohort of [...classic, ...unbounded]) expect(cohort.retained[0]).toBe(cohort.size);
    for (const { retained } of unbounded) retained.slice(1).forEach((n, k) => expect(n).toBeLessThanOrEqual(retained[k]));
  });

  it('stickiness: weeks start on weekStart (Sunday here) and each sums to the week\'s active users', async () => {
    const weeks = await reports.stickiness({ start: midnight('2024-02-01'), end: midnight('2024-02-15'), period: 'week' });
    expect(weeks.map(({ period }) => period.start)).toEqual([midnight('2024-01-28'), midnight('2024-02-04'), midnight('2024-02-11')]);
    expect(weeks[1].days).toEqual([0, 0, 1, 0, 0, 0, 1]); // fresh on 3 days, daily on 7
    const usage = await reports.usageForPeriods(weeks.map(({ period }) => [period.start, period.end] as [Date, Date]));
    weeks.forEach((week, i) => expect(week.days.reduce((a, b) => a + b, 0)).toBe(usage[i].usage.activeUsers));
  });

  it('activeUsers: one row per local day starting in the range, the 23-hour DST day included', async () => {
    const rows = await reports.activeUsers({ start: at('2024-03-30', 6), end: at('2024-04-01', 6) });
    expect(rows).toEqual([
      { period: { start: midnight('2024-03-31'), end: midnight('2024-04-01') }, dau: 2, wau: 2, mau: 2, stickiness: 1 },
      { period: { start: midnight('2024-04-01'), end: midnight('2024-04-02') }, dau: 0, wau: 2, mau: 2, stickiness: 0 },
    ]);
    expect(rows[0].period.end.getTime() - rows[0].period.start.getTime()).toBe(23 * 3_600_000);
  });

  it('costs no SQL statement, retention and lifecycle included, once the index holds the days and first activity, however long the range', async () => {
    const long = { start: midnight('2022-01-01'), end: midnight('2024-04-01') };
    const short = { start: midnight('2024-03-01'), end: midnight('2024-04-01') };
    const all = async (range: { start: Date; end: Date }) => {
      await reports.activeUsers(range);
      await reports.retention({ ...range, period: 'week', mode: 'unbounded' });
      await reports.lifecycle({ ...range, period: 'day' });
      await reports.stickiness({ ...range, period: 'month' });
    };
    for (const range of [long, short]) {
      await all(range); // builds the days and first activity the index lacks, once
      counter.queries = 0;
      await all(range);
      expect(counter.queries).toBe(0); // first activity comes from the store, with the days
    }
  });

  it('refuses a range past MAX_ANALYTICS_DAYS, bad periods, modes and dates, with typed errors', async () => {
    const tooLong = reports.activeUsers({ start: midnight('2000-01-01'), end: midnight('2024-01-01') });
    await expect(tooLong).rejects.toThrow(RangeTooLargeError);
    await expect(tooLong).rejects.toMatchObject({ call: 'activeUsers', unit: 'local days', maximum: MAX_ANALYTICS_DAYS });
    const tooLongRetention = reports.retention({ start: midnight('2020-01-01'), end: midnight('2024-01-01'), period: 'day' });
    await expect(tooLongRetention).rejects.toThrow(RangeTooLargeError);
    await expect(tooLongRetention).rejects.toMatchObject({ call: 'retention', unit: 'local days', maximum: MAX_ANALYTICS_DAYS });
    await expect(reports.retention({ start: midnight('2024-01-01'), period: 'year' as never })).rejects.toThrow(InvalidOptionError);
    await expect(reports.retention({ start: midnight('2024-01-01'), period: 'week', mode: 'rolling' as never })).rejects.toThrow(InvalidOptionError);
    await expect(reports.stickiness({ start: midnight('2024-01-01'), period: 'day' as never })).rejects.toThrow(InvalidOptionError);
    await expect(reports.lifecycle({ start: midnight('2024-02-01'), end: midnight('2024-01-01'), period: 'day' })).rejects.toThrow(InvalidRangeError);
    await expect(reports.activeUsers({ start: new Date(Number.NaN) })).rejects.toThrow(InvalidDateError);
  });
});
