import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { InvalidDateError, UnknownTimeZoneError } from '../../../lib/errors/index.js';
import { calendarMonthLabels, calendarYear, customerMonthLabels, customerQuarterLabels, customerYearLabels, labelCalendarYearMonth, labelYear, labelYearMonth, labelYearOfMonth, labelYearOfQuarter, labelYearQuarter, labelYearQuarterOfMonth } from '../../../lib/calendar/period-labels.js';

describe('customer month labels', () => {
  it.each([
    [1, 'Y01 M01', 'Y01 Q1', 'Y01'],
    [3, 'Y01 M03', 'Y01 Q1', 'Y01'],
    [4, 'Y01 M04', 'Y01 Q2', 'Y01'],
    [12, 'Y01 M12', 'Y01 Q4', 'Y01'],
    [13, 'Y02 M01', 'Y02 Q1', 'Y02'],
    [27, 'Y03 M03', 'Y03 Q1', 'Y03'],
    [120, 'Y10 M12', 'Y10 Q4', 'Y10'],
    [1201, 'Y101 M01', 'Y101 Q1', 'Y101'],
  ])('month %p is %p, %p, %p', (m, yearMonth, yearQuarter, year) => {
    expect(labelYearMonth(m)).toBe(yearMonth);
    expect(labelYearQuarterOfMonth(m)).toBe(yearQuarter);
    expect(labelYearOfMonth(m)).toBe(year);
    expect(customerMonthLabels(m)).toEqual({ yearMonth, yearQuarter, year });
  });
});

describe('customer quarter and year labels', () => {
  it.each([
    [1, 'Y01 Q1', 'Y01'],
    [4, 'Y01 Q4', 'Y01'],
    [5, 'Y02 Q1', 'Y02'],
    [10, 'Y03 Q2', 'Y03'],
  ])('quarter %p is %p, %p', (q, yearQuarter, year) => {
    expect(labelYearQuarter(q)).toBe(yearQuarter);
    expect(labelYearOfQuarter(q)).toBe(year);
    expect(customerQuarterLabels(q)).toEqual({ yearQuarter, year });
  });

  it.each([
    [1, 'Y01'],
    [9, 'Y09'],
    [12, 'Y12'],
    [100, 'Y100'],
  ])('year %p is %p', (y, year) => {
    expect(labelYear(y)).toBe(year);
    expect(customerYearLabels(y)).toEqual({ year });
  });

  it.each([
    ['labelYearMonth', labelYearMonth, /month number must be an integer of at least 1/],
    ['labelYearQuarterOfMonth', labelYearQuarterOfMonth, /month number must be an integer of at least 1/],
    ['labelYearOfMonth', labelYearOfMonth, /month number must be an integer of at least 1/],
    ['labelYearQuarter', labelYearQuarter, /quarter number must be an integer of at least 1/],
    ['labelYearOfQuarter', labelYearOfQuarter, /quarter number must be an integer of at least 1/],
    ['labelYear', labelYear, /year number must be an integer of at least 1/],
  ])('%s rejects 0, negative, fractional and NaN period numbers with a RangeError', (_name, label, message) => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => label(bad)).toThrow(RangeError);
      expect(() => label(bad)).toThrow(message);
    }
  });
});

describe('calendar labels', () => {
  // 2016-01-01 03:00 UTC is still 2015-12-31 22:00 in New York.
  const instant = new Date('2016-01-01T03:00:00Z');

  it('reads the month and year in the given zone, UTC by default', () => {
    expect(labelCalendarYearMonth(instant)).toBe('2016-01');
    expect(labelCalendarYearMonth(instant, 'America/New_York')).toBe('2015-12');
    expect(calendarYear(instant)).toBe(2016);
    expect(calendarYear(instant, 'America/New_York')).toBe(2015);
    expect(calendarMonthLabels(instant)).toEqual({ calendarYearMonth: '2016-01', calendarYear: 2016 });
    expect(calendarMonthLabels(instant, 'America/New_York')).toEqual({ calendarYearMonth: '2015-12', calendarYear: 2015 });
  });

  it('rejects an invalid date and an unknown zone with typed errors', () => {
    expect(() => labelCalendarYearMonth(new Date(Number.NaN))).toThrow(InvalidDateError);
    expect(() => calendarYear(new Date(Number.NaN))).toThrow('`date` must be a valid Date, received Invalid Date.');
    expect(() => calendarMonthLabels(instant, 'Gondor/Minas_Tirith')).toThrow(UnknownTimeZoneError);
  });
});

describe('label properties', () => {
  const decodeYearMonth = (label: string): number => {
    const match = /^Y(\d{2,}) M(\d{2})$/.exec(label);
    if (!match) throw new Error(`not a year-month label: ${label}`);
    return (Number(match[1]) - 1) * 12 + Number(match[2]);
  };
  const decodeYearQuarter = (label: string): number => {
    const match = /^Y(\d{2,}) Q([1-4])$/.exec(label);
    if (!match) throw new Error(`not a year-quarter label: ${label}`);
    return (Number(match[1]) - 1) * 4 + Number(match[2]);
  };

  it('month labels decode back to their number, and agree with quarter and year labels', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), (m) => {
        const q = Math.ceil(m / 3);
        expect(decodeYearMonth(labelYearMonth(m))).toBe(m);
        expect(decodeYearQuarter(labelYearQuarterOfMonth(m))).toBe(q);
        expect(labelYearQuarterOfMonth(m)).toBe(labelYearQuarter(q));
        expect(labelYearOfMonth(m)).toBe(labelYear(Math.ceil(m / 12)));
        expect(labelYearOfQuarter(q)).toBe(labelYear(Math.ceil(m / 12)));
      }),
      { numRuns: 200 },
    );
  });

  it('labels of 1..n count up from 1 with no gaps or repeats (every n up to 99 years of months)', () => {
    const numbers = Array.from({ length: 99 * 12 }, (_, i) => i + 1);
    const months = numbers.map(labelYearMonth);
    expect(months.map(decodeYearMonth)).toEqual(numbers);
    // Below Y100, zero-padding keeps them in sorting order too, so every prefix 1..n is ordered.
    expect([...months].sort()).toEqual(months);
    expect(new Set(months).size).toBe(numbers.length);
    expect(numbers.map(labelYearQuarter).map(decodeYearQuarter)).toEqual(numbers);
    expect(new Set(numbers.map(labelYear)).size).toBe(numbers.length);
  });
});
