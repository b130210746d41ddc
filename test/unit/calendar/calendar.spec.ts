import { describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { InvalidDateError, UnknownTimeZoneError } from '../../../lib/errors/index.js';
import { adjustToCalendarMonth, adjustToSubscriptionStart, nearestDom, nextMonth } from '../../../lib/calendar/months.js';
import { iterMonths } from '../../../lib/calendar/period-iterators.js';

// The original suite's TIME_ZONE (testapp/settings.py).
const zone = 'America/New_York';

/** A wall-clock time in `zone`, as the original's `timezone.make_aware(datetime(...))`. */
function at(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, tz = zone): Date {
  return DateTime.fromObject({ year, month, day, hour, minute, second }, { zone: tz }).toJSDate();
}

describe('nearestDom (test_nearest_dom)', () => {
  it('keeps a day that exists and clamps one past the end of the month', () => {
    expect(nearestDom(2017, 1, 1)).toBe(1);
    expect(nearestDom(2017, 1, 31)).toBe(31);
    expect(nearestDom(2017, 2, 27)).toBe(27);
    expect(nearestDom(2017, 2, 28)).toBe(28);
    expect(nearestDom(2017, 2, 29)).toBe(28);
    expect(nearestDom(2017, 2, 30)).toBe(28);
    expect(nearestDom(2017, 2, 31)).toBe(28);
  });

  it('knows leap years and 30-day months', () => {
    expect(nearestDom(2016, 2, 31)).toBe(29);
    expect(nearestDom(2000, 2, 30)).toBe(29);
    expect(nearestDom(1900, 2, 29)).toBe(28);
    expect(nearestDom(2017, 4, 31)).toBe(30);
  });

  it.each([
    [2017, 0, 1, /month must be an integer from 1 to 12, received 0/],
    [2017, 13, 1, /month must be an integer from 1 to 12, received 13/],
    [2017, 2, 0, /day must be an integer of at least 1, received 0/],
    [2017, 2, 1.5, /day must be an integer of at least 1, received 1.5/],
    [2017.5, 2, 1, /year must be an integer, received 2017.5/],
  ])('rejects nearestDom(%p, %p, %p) with a RangeError', (year, month, day, message) => {
    expect(() => nearestDom(year, month, day)).toThrow(RangeError);
    expect(() => nearestDom(year, month, day)).toThrow(message);
  });
});

describe('nextMonth (test_next_month)', () => {
  const dt = at(2017, 3, 30, 11, 5);

  it('moves by delta months, clamping the day to the target month', () => {
    expect(nextMonth(dt, { timeZone: zone })).toEqual(at(2017, 4, 30, 11, 5));
    expect(nextMonth(dt, { delta: 2, timeZone: zone })).toEqual(at(2017, 5, 30, 11, 5));
    expect(nextMonth(dt, { delta: 12, timeZone: zone })).toEqual(at(2018, 3, 30, 11, 5));
    expect(nextMonth(dt, { delta: -1, timeZone: zone })).toEqual(at(2017, 2, 28, 11, 5));
    expect(nextMonth(dt, { delta: -12, timeZone: zone })).toEqual(at(2016, 3, 30, 11, 5));
  });

  it('aims for preferredDom rather than the date’s own day', () => {
    expect(nextMonth(dt, { preferredDom: 31, timeZone: zone })).toEqual(at(2017, 4, 30, 11, 5));
    expect(nextMonth(dt, { preferredDom: 31, delta: 2, timeZone: zone })).toEqual(at(2017, 5, 31, 11, 5));
    expect(nextMonth(dt, { preferredDom: 31, delta: 12, timeZone: zone })).toEqual(at(2018, 3, 31, 11, 5));
    expect(nextMonth(dt, { preferredDom: 31, delta: -1, timeZone: zone })).toEqual(at(2017, 2, 28, 11, 5));
    expect(nextMonth(dt, { preferredDom: 31, delta: -12, timeZone: zone })).toEqual(at(2016, 3, 31, 11, 5));
  });

  it('throws a RangeError for delta 0', () => {
    expect(() => nextMonth(dt, { delta: 0 })).toThrow(RangeError);
    expect(() => nextMonth(dt, { delta: 0 })).toThrow(/delta must be a non-zero integer, received 0/);
  });

  it('throws a RangeError for a fractional delta or a preferredDom outside 1-31', () => {
    expect(() => nextMonth(dt, { delta: 1.5 })).toThrow(/delta must be a non-zero integer, received 1.5/);
    expect(() => nextMonth(dt, { preferredDom: 32 })).toThrow(RangeError);
    expect(() => nextMonth(dt, { preferredDom: 0 })).toThrow(/preferredDom must be an integer from 1 to 31/);
  });

  it('defaults to UTC wall-clock time', () => {
    // 2017-03-31 03:00 UTC is still March 30 in New York: the zone decides which day is kept.
    const late = new Date('2017-03-31T03:00:00Z');
    expect(nextMonth(late)).toEqual(new Date('2017-04-30T03:00:00Z'));
    expect(nextMonth(late, { timeZone: zone, delta: -1 })).toEqual(at(2017, 2, 28, 23, 0));
    expect(nextMonth(late, { delta: -1 })).toEqual(new Date('2017-02-28T03:00:00Z'));
    expect(nextMonth(late, { timeZone: zone, delta: 2 })).toEqual(at(2017, 5, 30, 23, 0));
  });

  it('keeps the wall-clock time of day across DST changes', () => {
    const winter = at(2024, 2, 15, 9, 30);
    expect(nextMonth(winter, { timeZone: zone })).toEqual(at(2024, 3, 15, 9, 30));
    expect(nextMonth(winter, { timeZone: zone }).toISOString()).toBe('2024-03-15T13:30:00.000Z');
    expect(nextMonth(at(2024, 10, 15, 9, 30), { timeZone: zone }).toISOString()).toBe('2024-11-15T14:30:00.000Z');
  });

  it('shifts a time that does not exist on the target day forward by the DST gap', () => {
    // 02:30 does not exist in New York on 2024-03-10 (clocks jump from 02:00 to 03:00).
    expect(nextMonth(at(2024, 2, 10, 2, 30), { timeZone: zone }).toISOString()).toBe('2024-03-10T07:30:00.000Z');
  });

  it('takes the earlier instant of a time that occurs twice on a fall-back day', () => {
    // 01:30 occurs at 05:30Z (EDT) and 06:30Z (EST) in New York on 2024-11-03.
    expect(nextMonth(at(2024, 10, 3, 1, 30), { timeZone: zone }).toISOString()).toBe('2024-11-03T05:30:00.000Z');
    expect(nextMonth(at(2024, 12, 3, 1, 30), { delta: -1, timeZone: zone }).toISOString()).toBe(
      '2024-11-03T05:30:00.000Z',
    );
  });

  it('rejects an invalid date and an unknown zone with typed errors', () => {
    expect(() => nextMonth(new Date(Number.NaN))).toThrow(InvalidDateError);
    expect(() => nextMonth(new Date(Number.NaN))).toThrow('`dt` must be a valid Date, received Invalid Date.');
    expect(() => nextMonth(dt, { timeZone: 'Mars/Olympus_Mons' })).toThrow(UnknownTimeZoneError);
    expect(() => nextMonth(dt, { timeZone: 'Mars/Olympus_Mons' })).toThrow(/Unknown time zone "Mars\/Olympus_Mons"/);
  });
});

describe('adjustToCalendarMonth (test_adjust_to_calendar_month)', () => {
  it('goes back to the 1st of the month, 00:00 wall clock', () => {
    expect(adjustToCalendarMonth(at(2017, 3, 27, 10, 36), zone)).toEqual(at(2017, 3, 1, 0, 0));
  });

  it('reads the month in the given zone, UTC by default', () => {
    const instant = new Date('2017-04-01T02:00:00Z'); // still March 31 in New York
    expect(adjustToCalendarMonth(instant)).toEqual(new Date('2017-04-01T00:00:00Z'));
    expect(adjustToCalendarMonth(instant, zone)).toEqual(at(2017, 3, 1));
    expect(adjustToCalendarMonth(instant, 'Asia/Kolkata')).toEqual(at(2017, 4, 1, 0, 0, 0, 'Asia/Kolkata'));
  });

  it('rejects an invalid date and an unknown zone with typed errors', () => {
    expect(() => adjustToCalendarMonth('2017-03-27' as unknown as Date)).toThrow(
      '`dt` must be a valid Date, received "2017-03-27".',
    );
    expect(() => adjustToCalendarMonth(new Date(), 'Nowhere')).toThrow(UnknownTimeZoneError);
  });
});

describe('adjustToSubscriptionStart (test_adjust_to_subscription_start)', () => {
  it('follows the original cases', () => {
    let ss = at(2017, 1, 31, 23, 30);

    // if dt matches ss, go with it
    let dt = at(2017, 3, 31, 23, 30);
    expect(adjustToSubscriptionStart(dt, ss, zone)).toEqual(dt);

    // if dt is after ss, simply adjust back to ss
    dt = at(2017, 3, 31, 23, 31);
    expect(adjustToSubscriptionStart(dt, ss, zone)).toEqual(at(2017, 3, 31, 23, 30));

    // if dt is before ss, adjust back to the previous month
    dt = at(2017, 3, 27, 10, 41);
    expect(adjustToSubscriptionStart(dt, ss, zone)).toEqual(at(2017, 2, 28, 23, 30));

    // dt matching the adjusted ss
    ss = at(2016, 12, 31, 12, 0);
    dt = at(2017, 2, 28, 12, 0);
    expect(adjustToSubscriptionStart(dt, ss, zone)).toEqual(dt);

    // dt after the adjusted ss
    dt = at(2017, 2, 28, 13, 0);
    expect(adjustToSubscriptionStart(dt, ss, zone)).toEqual(at(2017, 2, 28, 12, 0));
  });

  it('lands on a boundary that iterMonths yields for the same subscription', () => {
    const ss = at(2016, 1, 31, 9, 30);
    const boundaries = [...iterMonths(ss, at(2017, 1, 1), zone)].map(([start]) => start.getTime());
    for (const dt of [at(2016, 3, 12, 8), at(2016, 3, 31, 9, 30), at(2016, 11, 30, 9, 29), at(2016, 11, 30, 9, 31)]) {
      const adjusted = adjustToSubscriptionStart(dt, ss, zone);
      expect(boundaries).toContain(adjusted.getTime());
      expect(adjusted.getTime()).toBeLessThanOrEqual(dt.getTime());
      expect(nextMonth(adjusted, { preferredDom: 31, timeZone: zone }).getTime()).toBeGreaterThan(dt.getTime());
    }
  });

  it('returns the subscription start itself in its own month, even the later of two ambiguous instants', () => {
    const ss = new Date('2024-11-03T06:30:00Z'); // 01:30 EST, the second 01:30 of that New York day
    expect(adjustToSubscriptionStart(new Date('2024-11-20T12:00:00Z'), ss, zone)).toEqual(ss);
  });

  it('rejects invalid dates and an unknown zone with typed errors naming the argument', () => {
    expect(() => adjustToSubscriptionStart(new Date(), new Date(Number.NaN))).toThrow(
      '`subscriptionStart` must be a valid Date, received Invalid Date.',
    );
    expect(() => adjustToSubscriptionStart(null as unknown as Date, new Date())).toThrow(InvalidDateError);
    expect(() => adjustToSubscriptionStart(new Date(), new Date(), 'Europe/Atlantis')).toThrow(UnknownTimeZoneError);
  });
});
