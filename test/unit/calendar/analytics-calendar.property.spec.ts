import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { LocalDayCalendar } from '../../../lib/calendar/local-days.js';
import { addDays, datesBetween, localDaysOf, periodStartOf, periodsMeeting } from '../../../lib/calendar/analytics-calendar.js';

// Zones whose DST changes fall at local midnight (Havana, Santiago, Beirut), on a
// quarter hour (Chatham), by 30 minutes (Lord Howe), and Apia, which skipped 2011-12-30.
const ZONES = ['UTC', 'Europe/Paris', 'America/Havana', 'America/Santiago', 'Asia/Beirut', 'Pacific/Chatham', 'Australia/Lord_Howe', 'Pacific/Apia'];
const DAY = 86_400_000;
const isoDate = fc.integer({ min: Date.UTC(2009, 0, 1), max: Date.UTC(2026, 0, 1) }).map((ms) => new Date(ms).toISOString().slice(0, 10));

describe('analytics calendar', () => {
  it("localDaysOf makes the very days the index's calendar makes, one by one, over DST changes", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), isoDate, fc.integer({ min: 1, max: 200 }), (zone, first, count) => {
        const dates = datesBetween(first, addDays(first, count));
        const expected = dates.map((date) => {
          const day = new LocalDayCalendar(zone).dayOf(DateTime.fromISO(date, { zone }).toJSDate());
          return day.date === date ? day : null;
        });
        expect(localDaysOf(dates, new LocalDayCalendar(zone))).toEqual(expected);
      }),
      { numRuns: 25 },
    );
  });

  it('leaves out the date Apia skipped', () => {
    expect(localDaysOf(['2011-12-29', '2011-12-30', '2011-12-31'], new LocalDayCalendar('Pacific/Apia')).map((day) => day?.date ?? null)).toEqual(['2011-12-29', null, '2011-12-31']);
  });

  it('periodStartOf agrees with luxon for days, weeks from every weekStart, and months', () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: 1, max: 7 }), (date, weekStart) => {
        const day = DateTime.fromISO(date, { zone: 'utc' });
        expect(periodStartOf(date, 'day', weekStart)).toBe(date);
        expect(periodStartOf(date, 'month', weekStart)).toBe(day.startOf('month').toISODate());
        const week = DateTime.fromISO(periodStartOf(date, 'week', weekStart), { zone: 'utc' });
        expect(week.weekday).toBe(weekStart);
        expect(day.diff(week, 'days').days).toBeGreaterThanOrEqual(0);
        expect(day.diff(week, 'days').days).toBeLessThan(7);
      }),
    );
  });

  it('periodsMeeting tiles the dates from the period holding start to the one holding the instant before end', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: Date.UTC(2010, 0, 1), max: Date.UTC(2025, 0, 1) }),
        fc.integer({ min: 1, max: 200 * DAY }),
        fc.constantFrom('day' as const, 'week' as const, 'month' as const),
        fc.integer({ min: 1, max: 7 }),
        (zone, startMs, length, kind, weekStart) => {
          const periods = periodsMeeting(new Date(startMs), new Date(startMs + length), kind, new LocalDayCalendar(zone), weekStart);
          const dates = periods.flatMap((period) => period.dates);
          const local = (ms: number) => DateTime.fromMillis(ms, { zone }).toISODate()!;
          expect(dates[0]).toBe(periodStartOf(local(startMs), kind, weekStart));
          expect(dates).toEqual(datesBetween(dates[0], addDays(dates[dates.length - 1], 1)));
          expect(dates).toContain(local(startMs + length - 1));
          const lastPeriod = periods[periods.length - 1].dates;
          expect(lastPeriod[0] <= local(startMs + length - 1)).toBe(true);
        },
      ),
    );
  });
});
