import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { ActivityService } from '../../../lib/activity/activity.service.js';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { runCli } from '../../../lib/cli/run-cli.js';
import { InvalidDateError, InvalidOptionError, RangeTooLargeError } from '../../../lib/errors/index.js';
import { MAX_REPORT_PERIODS, SUPPORTED_DATES } from '../../../lib/calendar/period-limits.js';
import { ReportsService } from '../../../lib/reports/reports.service.js';
import { SouvenirsModule } from '../../../lib/souvenirs.module.js';
import { DIALECTS, createTestDatabase, type Dialect, type TestDatabase } from '../../support/databases.js';
import { captureIo } from '../cli/cli-test-app.js';

const NOW = new Date('2026-06-15T12:00:00Z');
const FAR_PAST = new Date(-8.64e15);
const FAR_FUTURE = new Date(8.64e15);

/** Rejected as a valid date outside `SUPPORTED_DATES`: an `InvalidDateError` naming the bounds. */
async function expectOutOfRange(call: Promise<unknown>): Promise<void> {
  await expect(call).rejects.toThrow(InvalidDateError);
  await expect(call).rejects.toMatchObject({ reason: 'out-of-range', min: SUPPORTED_DATES.min, max: SUPPORTED_DATES.max });
}

/** Resolves within `ms`, or fails: a refusal must come before any real work. */
async function quickly<T>(work: () => Promise<T>, ms = 1_000): Promise<T> {
  const started = Date.now();
  try {
    return await work();
  } finally {
    expect(Date.now() - started).toBeLessThan(ms);
  }
}

describe.each(DIALECTS)('bounded work for any range on %s', (dialect: Dialect) => {
  let database: TestDatabase;
  let moduleRef: TestingModule;
  let reports: ReportsService;
  let activity: ActivityService;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    moduleRef = await Test.createTestingModule({
      imports: [TypeOrmModule.forRoot({ ...database.options } as never), SouvenirsModule.forRoot({ now: () => NOW, track: false })],
    }).compile();
    reports = moduleRef.get(ReportsService);
    activity = moduleRef.get(ActivityService);
    await activity.souvenez('someone', { when: new Date('2026-06-01T00:00:00Z') });
  });

  afterAll(async () => {
    await moduleRef?.close();
    await database?.drop();
  });

  it(`runs a report of exactly MAX_REPORT_PERIODS (${MAX_REPORT_PERIODS}) periods, and refuses one more`, async () => {
    const start = DateTime.fromJSDate(NOW, { zone: 'UTC' }).minus({ days: MAX_REPORT_PERIODS }).toJSDate();
    const rows = await reports.dailyUsage(start, { end: NOW });
    expect(rows).toHaveLength(MAX_REPORT_PERIODS);
    expect(rows.reduce((sum, row) => sum + row.usage.activeUsers, 0)).toBe(1);

    const oneMore = new Date(start.getTime() - 86_400_000);
    await expect(reports.dailyUsage(oneMore, { end: NOW })).rejects.toThrow(RangeTooLargeError);
    await expect(reports.usageForPeriods(Array.from({ length: MAX_REPORT_PERIODS + 1 }, () => [NOW, NOW]))).rejects.toThrow(
      RangeTooLargeError,
    );
  });

  it('refuses an absurd range at once, with the limit and what to do', async () => {
    const all = { start: SUPPORTED_DATES.min, end: SUPPORTED_DATES.max };
    const refusal = await quickly(() => reports.calendarMonthlyUsage(all).catch((error: unknown) => error));
    expect(refusal).toBeInstanceOf(RangeTooLargeError);
    expect((refusal as Error).message).toMatch(/more than 10000 months .* maximum: narrow the range/);
    await quickly(() => expect(reports.customerMonthlyUsage(all.start, { end: all.end })).rejects.toThrow(RangeTooLargeError));
    await quickly(() => expect(reports.customerQuarterlyUsage(all.start, { end: all.end })).rejects.toThrow(RangeTooLargeError));
    await quickly(() => expect(reports.dailyUsage(all.start, { end: all.end })).rejects.toThrow(RangeTooLargeError));
    // Years fit: 9000 of them.
    expect(await reports.customerYearlyUsage(all.start, { end: all.end })).toHaveLength(9000);
  });

  it('refuses dates no database holds, the issue\'s ±8e15 ms range included', async () => {
    await quickly(() => expectOutOfRange(reports.calendarMonthlyUsage({ start: new Date(-8e15), end: new Date(6e15) })));
    await expectOutOfRange(reports.dailyUsage(FAR_PAST));
    await expectOutOfRange(reports.registeredUsersAsOf(FAR_FUTURE));
    await expectOutOfRange(reports.usageForPeriods([[FAR_PAST, NOW]]));
    await expectOutOfRange(activity.countActiveUsers({ start: FAR_PAST }));
    await expectOutOfRange(activity.countActiveUsers({ end: new Date('0999-12-31T23:59:59.999Z') }));
    expect(await activity.countActiveUsers({ start: SUPPORTED_DATES.min, end: SUPPORTED_DATES.max })).toBe(1);
  });

  it('writes nothing for a date out of range', async () => {
    await expectOutOfRange(activity.souvenez('far', { when: FAR_FUTURE }));
    await expect(activity.backfill([{ user: 'far', when: new Date(-8.64e15) }])).rejects.toThrow(/1000-01-01/);
    expect(await database.dataSource.getRepository(Souvenir).countBy({ userId: 'far' })).toBe(0);
  });

  it('reads an endless iterable of periods only up to the limit', async () => {
    let pulled = 0;
    function* endless(): Generator<[Date, Date]> {
      for (;;) {
        pulled += 1;
        yield [NOW, NOW];
      }
    }
    await quickly(() => expect(reports.usageForPeriods(endless())).rejects.toThrow(RangeTooLargeError));
    expect(pulled).toBe(MAX_REPORT_PERIODS + 1);
    await expect(reports.usageForPeriods(42 as never)).rejects.toThrow(InvalidOptionError);
    await expect(reports.usageForPeriods([NOW] as never)).rejects.toThrow(InvalidOptionError);
  });

  it('the CLI prints the refusal and exits 1', async () => {
    const io = captureIo();
    const code = await runCli(moduleRef as never, ['show-usage', '--calendar', '--after=1000-01-01'], io);
    expect(code).toBe(1);
    expect(io.stdout.text).toBe('');
    expect(io.stderr.text).toMatch(/calendarMonthlyUsage` would produce more than 10000 months/);
  });
});
