import { describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { InvalidDateError, InvalidRangeError, UnknownTimeZoneError } from '../../../lib/errors/index.js';
import { iterDays, iterMonths, iterQuarters, iterYears } from '../../../lib/calendar/period-iterators.js';

// The original suite's TIME_ZONE (testapp/settings.py).
const zone = 'America/New_York';

function at(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, tz = zone): Date {
  return DateTime.fromObject({ year, month, day, hour, minute, second }, { zone: tz }).toJSDate();
}

/**
 * The original's expectation: periods starting on these days at `start`'s time of day, each
 * ending where the next starts, the last at `end`. Wall-clock time in the zone: the original,
 * on pytz, kept the start's UTC offset instead, which drifts by an hour across DST.
 */
function expected(days: Array<[number, number, number]>, start: Date, end: Date): Array<[Date, Date]> {
  const time = DateTime.fromJSDate(start, { zone });
  const starts = days.map(([y, m, d]) => at(y, m, d, time.hour, time.minute, time.second));
  return starts.map((s, i) => [s, starts[i + 1] ?? end]);
}

const hours = ([start, end]: [Date, Date]): number => (end.getTime() - start.getTime()) / 3_600_000;

describe.each([
  ['iterDays', iterDays],
  ['iterMonths', iterMonths],
  ['iterQuarters', iterQuarters],
  ['iterYears', iterYears],
])('%s: common behaviour', (_name, iterate) => {
  it('is a lazy iterator (its own iterable), like the original generators', () => {
    const periods = iterate(at(1990, 1, 1), at(2060, 1, 1), zone);
    expect(typeof periods.next).toBe('function');
    expect(periods[Symbol.iterator]()).toBe(periods);
    const first = periods.next();
    expect(first.done).toBe(false);
    expect((first.value as [Date, Date])[0]).toEqual(at(1990, 1, 1));
  });

  it('yields nothing when start equals end', () => {
    expect([...iterate(at(2017, 3, 1), at(2017, 3, 1), zone)]).toEqual([]);
  });

  it('cuts a single short period at end', () => {
    expect([...iterate(at(2017, 3, 1, 8), at(2017, 3, 1, 9), zone)]).toEqual([[at(2017, 3, 1, 8), at(2017, 3, 1, 9)]]);
  });

  it('throws typed errors at call time, before the first next()', () => {
    const ok = at(2017, 1, 1);
    expect(() => iterate(new Date(Number.NaN), ok, zone)).toThrow(InvalidDateError);
    expect(() => iterate(new Date(Number.NaN), ok, zone)).toThrow('`start` must be a valid Date, received Invalid Date.');
    expect(() => iterate(ok, 'tomorrow' as unknown as Date, zone)).toThrow(
      '`end` must be a valid Date, received "tomorrow".',
    );
    expect(() => iterate(ok, at(2016, 12, 31), zone)).toThrow(InvalidRangeError);
    expect(() => iterate(ok, at(2016, 12, 31), zone)).toThrow(/is before its start/);
    expect(() => iterate(ok, ok, 'America/Springfield')).toThrow(UnknownTimeZoneError);
    expect(() => iterate(ok, ok, 'America/Springfield')).toThrow(/Unknown time zone "America\/Springfield"/);
  });
});

describe('iterDays (test_iter_days)', () => {
  it('yields calendar days at the start’s time of day, the last cut at end', () => {
    const start = at(2017, 3, 29, 1, 2, 3);
    const end = at(2017, 4, 7, 11, 22, 33);
    const days: Array<[number, number, number]> = [
      [2017, 3, 29], [2017, 3, 30], [2017, 3, 31], [2017, 4, 1], [2017, 4, 2],
      [2017, 4, 3], [2017, 4, 4], [2017, 4, 5], [2017, 4, 6], [2017, 4, 7],
    ];
    expect([...iterDays(start, end, zone)]).toEqual(expected(days, start, end));
  });

  it('has a 23-hour day on the New York spring-forward day and a 25-hour one on fall-back', () => {
    const spring = [...iterDays(at(2024, 3, 9), at(2024, 3, 12), zone)];
    expect(spring.map(hours)).toEqual([24, 23, 24]);
    expect(spring[1]).toEqual([at(2024, 3, 10), at(2024, 3, 11)]);

    const fall = [...iterDays(at(2024, 11, 2), at(2024, 11, 5), zone)];
    expect(fall.map(hours)).toEqual([24, 25, 24]);
    expect(fall[1]).toEqual([at(2024, 11, 3), at(2024, 11, 4)]);
  });

  it('has days of 24.5 and 23.5 hours across Lord Howe’s 30-minute DST changes', () => {
    const tz = 'Australia/Lord_Howe';
    // DST ends 2024-04-07 02:00 (clocks back to 01:30), starts 2024-10-06 02:00 (on to 02:30).
    const april = [...iterDays(at(2024, 4, 6, 0, 0, 0, tz), at(2024, 4, 9, 0, 0, 0, tz), tz)];
    expect(april.map(hours)).toEqual([24, 24.5, 24]);
    expect(april[1]).toEqual([at(2024, 4, 7, 0, 0, 0, tz), at(2024, 4, 8, 0, 0, 0, tz)]);
    const october = [...iterDays(at(2024, 10, 5, 0, 0, 0, tz), at(2024, 10, 8, 0, 0, 0, tz), tz)];
    expect(october.map(hours)).toEqual([24, 23.5, 24]);
    expect(october[1]).toEqual([at(2024, 10, 6, 0, 0, 0, tz), at(2024, 10, 7, 0, 0, 0, tz)]);
  });

  it('shifts a time of day inside a DST gap forward for that day only', () => {
    // 02:30 does not exist in New York on 2024-03-10; that day starts at 03:30 EDT.
    const days = [...iterDays(at(2024, 3, 9, 2, 30), at(2024, 3, 12, 2, 30), zone)];
    expect(days.map(([start]) => start.toISOString())).toEqual([
      '2024-03-09T07:30:00.000Z', // 02:30 EST
      '2024-03-10T07:30:00.000Z', // 03:30 EDT
      '2024-03-11T06:30:00.000Z', // 02:30 EDT again
    ]);
  });

  it('takes the earlier instant of a time of day that occurs twice', () => {
    const days = [...iterDays(at(2024, 11, 2, 1, 30), at(2024, 11, 4, 1, 30), zone)];
    expect(days.map(([start]) => start.toISOString())).toEqual(['2024-11-02T05:30:00.000Z', '2024-11-03T05:30:00.000Z']);
    expect(days.map(hours)).toEqual([24, 25]);
  });

  it('never yields an empty day where a zone skips a calendar day', () => {
    // Samoa skipped 2011-12-30 when it crossed the date line.
    const tz = 'Pacific/Apia';
    const days = [...iterDays(at(2011, 12, 28, 12, 0, 0, tz), at(2012, 1, 2, 12, 0, 0, tz), tz)];
    expect(days.every(([start, end]) => start < end)).toBe(true);
    expect(days.map(([start]) => DateTime.fromJSDate(start, { zone: tz }).toISODate())).toEqual([
      '2011-12-28', '2011-12-29', '2011-12-31', '2012-01-01',
    ]);
  });
});

describe('iterMonths (test_iter_months)', () => {
  it('keeps the preferred day of month (clamped, never drifting) and the time of day', () => {
    const start = at(2015, 12, 31, 1, 2, 3);
    const end = at(2018, 6, 10, 11, 22, 33);
    const days: Array<[number, number, number]> = [
      [2015, 12, 31], [2016, 1, 31], [2016, 2, 29] /* leap! */, [2016, 3, 31], [2016, 4, 30], [2016, 5, 31],
      [2016, 6, 30], [2016, 7, 31], [2016, 8, 31], [2016, 9, 30], [2016, 10, 31], [2016, 11, 30],
      [2016, 12, 31], [2017, 1, 31], [2017, 2, 28], [2017, 3, 31], [2017, 4, 30], [2017, 5, 31],
      [2017, 6, 30], [2017, 7, 31], [2017, 8, 31], [2017, 9, 30], [2017, 10, 31], [2017, 11, 30],
      [2017, 12, 31], [2018, 1, 31], [2018, 2, 28], [2018, 3, 31], [2018, 4, 30], [2018, 5, 31],
    ];
    expect([...iterMonths(start, end, zone)]).toEqual(expected(days, start, end));
  });

  it('keeps a 09:30 New York time of day in both DST seasons', () => {
    const months = [...iterMonths(at(2024, 1, 15, 9, 30), at(2025, 1, 15, 9, 30), zone)];
    expect(months).toHaveLength(12);
    for (const [start] of months) {
      expect(DateTime.fromJSDate(start, { zone }).toFormat('dd HH:mm')).toBe('15 09:30');
    }
    expect(months[2][0].toISOString()).toBe('2024-03-15T13:30:00.000Z'); // EDT
    expect(months[10][0].toISOString()).toBe('2024-11-15T14:30:00.000Z'); // EST
  });

  it('defaults to UTC', () => {
    const months = [...iterMonths(new Date('2017-01-31T23:00:00Z'), new Date('2017-04-01T00:00:00Z'))];
    expect(months.map(([start]) => start.toISOString())).toEqual([
      '2017-01-31T23:00:00.000Z',
      '2017-02-28T23:00:00.000Z',
      '2017-03-31T23:00:00.000Z',
    ]);
  });
});

describe('iterQuarters (test_iter_quarters)', () => {
  it('yields three months at a time', () => {
    const start = at(2015, 11, 30, 1, 2, 3);
    const end = at(2017, 2, 28, 11, 22, 33);
    const days: Array<[number, number, number]> = [
      [2015, 11, 30], [2016, 2, 29] /* leap! */, [2016, 5, 30], [2016, 8, 30], [2016, 11, 30], [2017, 2, 28],
    ];
    expect([...iterQuarters(start, end, zone)]).toEqual(expected(days, start, end));
  });
});

describe('iterYears (test_iter_years)', () => {
  it('yields twelve months at a time', () => {
    const start = at(2016, 2, 29, 1, 2, 3);
    const end = at(2019, 2, 28, 11, 22, 33);
    const days: Array<[number, number, number]> = [[2016, 2, 29] /* leap! */, [2017, 2, 28], [2018, 2, 28], [2019, 2, 28]];
    expect([...iterYears(start, end, zone)]).toEqual(expected(days, start, end));
  });

  it('returns to Feb 29 in the next leap year (the day is always the original preferred one)', () => {
    const years = [...iterYears(at(2016, 2, 29), at(2021, 1, 1), zone)];
    expect(years.map(([start]) => DateTime.fromJSDate(start, { zone }).toISODate())).toEqual([
      '2016-02-29', '2017-02-28', '2018-02-28', '2019-02-28', '2020-02-29',
    ]);
  });
});
