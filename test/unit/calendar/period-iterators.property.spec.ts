import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { adjustToCalendarMonth, nearestDom } from '../../../lib/calendar/months.js';
import { calendarMonthLabels } from '../../../lib/calendar/period-labels.js';
import { iterDays, iterMonths, iterQuarters, iterYears } from '../../../lib/calendar/period-iterators.js';

const zones = ['UTC', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Europe/London', 'Pacific/Chatham'];
const numRuns = 200;
const MIN = Date.UTC(1990, 0, 1);
const MAX = Date.UTC(2060, 0, 1);
const DAY = 86_400_000;

/**
 * Starts anywhere in 1990–2060: random instants, and wall-clock times near the hours where
 * DST changes happen (00:00-03:59, on the quarter hour), so gaps and overlaps get exercised.
 */
function startIn(zone: string): fc.Arbitrary<Date> {
  const anyInstant = fc.integer({ min: MIN, max: MAX }).map((ms) => new Date(ms));
  const nearTransitions = fc
    .record({
      year: fc.integer({ min: 1990, max: 2059 }),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 31 }),
      hour: fc.integer({ min: 0, max: 3 }),
      minute: fc.constantFrom(0, 15, 30, 45),
    })
    .map(({ day, ...rest }) =>
      DateTime.fromObject({ ...rest, day: nearestDom(rest.year, rest.month, day) }, { zone }).toJSDate(),
    );
  return fc.oneof(anyInstant, nearTransitions);
}

/** [start, end] with end - start in [0, maxDays] days (0 included on purpose). */
function rangeIn(zone: string, maxDays: number): fc.Arbitrary<[Date, Date]> {
  return fc
    .tuple(startIn(zone), fc.oneof({ arbitrary: fc.constant(0), weight: 1 }, { arbitrary: fc.integer({ min: 1, max: maxDays * DAY }), weight: 9 }))
    .map(([start, span]) => [start, new Date(start.getTime() + span)]);
}

// Checks collect problems and assert once per run: jest's expect() is costly in hot loops.

/** Problems with how `periods` tile [start, end): contiguous, non-empty, first at start, last at end. */
function tilingProblems(periods: Array<[Date, Date]>, start: Date, end: Date): string[] {
  if (start.getTime() === end.getTime()) return periods.length === 0 ? [] : ['periods for an empty range'];
  if (periods.length === 0) return ['no periods'];
  const problems: string[] = [];
  if (periods[0][0].getTime() !== start.getTime()) problems.push(`first starts at ${periods[0][0].toISOString()}`);
  const last = periods[periods.length - 1][1];
  if (last.getTime() !== end.getTime()) problems.push(`last ends at ${last.toISOString()}`);
  periods.forEach(([from, to], i) => {
    if (from.getTime() >= to.getTime()) problems.push(`period ${i} is empty or reversed: ${from.toISOString()}`);
    if (i > 0 && from.getTime() !== periods[i - 1][1].getTime()) problems.push(`gap or overlap before period ${i}`);
  });
  return problems;
}

const msOfDay = (t: DateTime): number => ((t.hour * 60 + t.minute) * 60 + t.second) * 1000 + t.millisecond;

/**
 * Why `boundary` is not on `year-month-day` at `origin`'s time of day, or null if it is. Where
 * that time does not exist (DST gap) the boundary must be later that day; where it exists twice,
 * the earlier instant.
 */
function wallClockProblem(boundary: Date, year: number, month: number, day: number, origin: DateTime): string | null {
  const zoned = DateTime.fromJSDate(boundary, { zone: origin.zone });
  const at = `${boundary.toISOString()} (${zoned.toISO()})`;
  if (zoned.year !== year || zoned.month !== month || zoned.day !== day) return `${at} is not on ${year}-${month}-${day}`;
  const time = { hour: origin.hour, minute: origin.minute, second: origin.second, millisecond: origin.millisecond };
  const wanted = DateTime.fromObject({ year, month, day, ...time }, { zone: origin.zone });
  const exists = wanted.hour === time.hour && wanted.minute === time.minute;
  if (!exists) return msOfDay(zoned) > msOfDay(origin) ? null : `${at} is not after the skipped ${origin.toFormat('TT')}`;
  if (msOfDay(zoned) !== msOfDay(origin)) return `${at} is not at ${origin.toFormat('TT.SSS')}`;
  const earliest = Math.min(...wanted.getPossibleOffsets().map((candidate) => candidate.toMillis()));
  return zoned.toMillis() === earliest ? null : `${at} is not the earlier of two instants`;
}

describe.each(zones)('period iterators in %s', (zone) => {
  it('iterDays tiles the range with days one calendar day apart', () => {
    fc.assert(
      fc.property(rangeIn(zone, 31), ([start, end]) => {
        const days = [...iterDays(start, end, zone)];
        const origin = DateTime.fromJSDate(start, { zone });
        const firstDate = DateTime.utc(origin.year, origin.month, origin.day);
        const problems = days.slice(1).map(([dayStart], i) => {
          const date = firstDate.plus({ days: i + 1 });
          return wallClockProblem(dayStart, date.year, date.month, date.day, origin);
        });
        expect([...tilingProblems(days, start, end), ...problems.filter(Boolean)]).toEqual([]);
      }),
      { numRuns },
    );
  });

  it('iterMonths tiles the range with months on the nearest day to the start’s', () => {
    fc.assert(
      fc.property(rangeIn(zone, 2 * 366), ([start, end]) => {
        const months = [...iterMonths(start, end, zone)];
        const origin = DateTime.fromJSDate(start, { zone });
        const problems = months.slice(1).map(([monthStart], i) => {
          const index = origin.year * 12 + (origin.month - 1) + i + 1;
          const year = Math.floor(index / 12);
          const month = (index % 12) + 1;
          return wallClockProblem(monthStart, year, month, nearestDom(year, month, origin.day), origin);
        });
        expect([...tilingProblems(months, start, end), ...problems.filter(Boolean)]).toEqual([]);
      }),
      { numRuns },
    );
  });

  it('iterQuarters and iterYears group every 3 and 12 of those months', () => {
    fc.assert(
      fc.property(rangeIn(zone, 6 * 366), ([start, end]) => {
        const monthStarts = [...iterMonths(start, end, zone)].map(([from]) => from.getTime());
        const quarters = [...iterQuarters(start, end, zone)];
        const years = [...iterYears(start, end, zone)];
        expect([...tilingProblems(quarters, start, end), ...tilingProblems(years, start, end)]).toEqual([]);
        expect(quarters).toHaveLength(Math.ceil(monthStarts.length / 3));
        expect(years).toHaveLength(Math.ceil(monthStarts.length / 12));
        expect(quarters.map(([from]) => from.getTime())).toEqual(monthStarts.filter((_, i) => i % 3 === 0));
        expect(years.map(([from]) => from.getTime())).toEqual(monthStarts.filter((_, i) => i % 12 === 0));
      }),
      { numRuns },
    );
  });

  it('calendar months from adjustToCalendarMonth are labelled consecutively', () => {
    fc.assert(
      fc.property(rangeIn(zone, 2 * 366), ([start, end]) => {
        const first = adjustToCalendarMonth(start, zone);
        expect(first.getTime()).toBeLessThanOrEqual(start.getTime());
        const labels = [...iterMonths(first, end, zone)].map(([from]) => calendarMonthLabels(from, zone));
        const problems = labels.flatMap(({ calendarYearMonth, calendarYear }, i) => {
          const [year, month] = calendarYearMonth.split('-').map(Number);
          if (year !== calendarYear) return [`${calendarYearMonth} is not in ${calendarYear}`];
          if (i === 0) return [];
          const [prevYear, prevMonth] = labels[i - 1].calendarYearMonth.split('-').map(Number);
          return year * 12 + month === prevYear * 12 + prevMonth + 1 ? [] : [`${calendarYearMonth} does not follow the previous`];
        });
        expect(problems).toEqual([]);
      }),
      { numRuns },
    );
  });
});
