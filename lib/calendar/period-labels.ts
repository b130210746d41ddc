import { assertTimeZone, assertValidDate, toZoned } from './time-zone.js';

/*
 * django-souvenirs' report labels (souvenirs/reports.py). Customer periods are numbered from 1
 * at the subscription start: month m is in customer year ⌈m / 12⌉ and customer quarter
 * ⌈m / 3⌉; quarter q is in customer year ⌈q / 4⌉.
 */

/**
 * Labels of a customer month, as `customerMonthlyUsage` rows carry them. A type alias, not an
 * interface, so it fits `UsageRow['labels']` (a `Record`).
 */
export type CustomerMonthLabels = {
  /** e.g. `'Y01 M01'` */
  yearMonth: string;
  /** e.g. `'Y01 Q1'` */
  yearQuarter: string;
  /** e.g. `'Y01'` */
  year: string;
};

/** Labels of a customer quarter. */
export type CustomerQuarterLabels = Pick<CustomerMonthLabels, 'yearQuarter' | 'year'>;

/** Labels of a customer year. */
export type CustomerYearLabels = Pick<CustomerMonthLabels, 'year'>;

/** Labels of a calendar month, as `calendarMonthlyUsage` rows carry them. */
export type CalendarMonthLabels = {
  /** e.g. `'2016-01'` */
  calendarYearMonth: string;
  /** e.g. `2016` */
  calendarYear: number;
};

function assertPeriodNumber(name: string, n: number): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`${name} must be an integer of at least 1 (periods are numbered from 1), received ${n}.`);
  }
}

/** Python's `'{:02d}'`: at least two digits. */
const pad2 = (n: number): string => String(n).padStart(2, '0');

const monthToYear = (m: number): number => Math.floor((m - 1) / 12) + 1;
const monthToMonth = (m: number): number => ((m - 1) % 12) + 1;
const monthToQuarter = (m: number): number => (Math.floor((m - 1) / 3) % 4) + 1;
const quarterToYear = (q: number): number => Math.floor((q - 1) / 4) + 1;
const quarterToQuarter = (q: number): number => ((q - 1) % 4) + 1;

/**
 * Customer month `m` as `'Y01 M01'` (month 13 is `'Y02 M01'`).
 *
 * @throws {RangeError} when `m` is not an integer ≥ 1.
 */
export function labelYearMonth(m: number): string {
  assertPeriodNumber('month number', m);
  return `Y${pad2(monthToYear(m))} M${pad2(monthToMonth(m))}`;
}

/**
 * The customer quarter of customer month `m`, as `'Y01 Q1'` (month 13 is `'Y02 Q1'`).
 *
 * @throws {RangeError} when `m` is not an integer ≥ 1.
 */
export function labelYearQuarterOfMonth(m: number): string {
  assertPeriodNumber('month number', m);
  return `Y${pad2(monthToYear(m))} Q${monthToQuarter(m)}`;
}

/**
 * The customer year of customer month `m`, as `'Y01'`.
 *
 * @throws {RangeError} when `m` is not an integer ≥ 1.
 */
export function labelYearOfMonth(m: number): string {
  assertPeriodNumber('month number', m);
  return `Y${pad2(monthToYear(m))}`;
}

/**
 * Customer quarter `q` as `'Y01 Q1'` (quarter 5 is `'Y02 Q1'`).
 *
 * @throws {RangeError} when `q` is not an integer ≥ 1.
 */
export function labelYearQuarter(q: number): string {
  assertPeriodNumber('quarter number', q);
  return `Y${pad2(quarterToYear(q))} Q${quarterToQuarter(q)}`;
}

/**
 * The customer year of customer quarter `q`, as `'Y01'`.
 *
 * @throws {RangeError} when `q` is not an integer ≥ 1.
 */
export function labelYearOfQuarter(q: number): string {
  assertPeriodNumber('quarter number', q);
  return `Y${pad2(quarterToYear(q))}`;
}

/**
 * Customer year `y` as `'Y01'`.
 *
 * @throws {RangeError} when `y` is not an integer ≥ 1.
 */
export function labelYear(y: number): string {
  assertPeriodNumber('year number', y);
  return `Y${pad2(y)}`;
}

/**
 * The calendar month of `date` in `timeZone`, as `'2016-01'`.
 *
 * @throws {InvalidDateError} when `date` is not a valid Date.
 * @throws {UnknownTimeZoneError} when `timeZone` is not a known IANA zone.
 */
export function labelCalendarYearMonth(date: Date, timeZone = 'UTC'): string {
  assertValidDate('date', date);
  assertTimeZone(timeZone);
  return toZoned(date, timeZone).toFormat('yyyy-MM');
}

/**
 * The calendar year of `date` in `timeZone`, as a number (`2016`).
 *
 * @throws {InvalidDateError} when `date` is not a valid Date.
 * @throws {UnknownTimeZoneError} when `timeZone` is not a known IANA zone.
 */
export function calendarYear(date: Date, timeZone = 'UTC'): number {
  assertValidDate('date', date);
  assertTimeZone(timeZone);
  return toZoned(date, timeZone).year;
}

/**
 * All labels of customer month `m`: `{ yearMonth: 'Y01 M01', yearQuarter: 'Y01 Q1', year: 'Y01' }`.
 *
 * @throws {RangeError} when `m` is not an integer ≥ 1.
 */
export function customerMonthLabels(m: number): CustomerMonthLabels {
  return { yearMonth: labelYearMonth(m), yearQuarter: labelYearQuarterOfMonth(m), year: labelYearOfMonth(m) };
}

/**
 * All labels of customer quarter `q`: `{ yearQuarter: 'Y01 Q1', year: 'Y01' }`.
 *
 * @throws {RangeError} when `q` is not an integer ≥ 1.
 */
export function customerQuarterLabels(q: number): CustomerQuarterLabels {
  return { yearQuarter: labelYearQuarter(q), year: labelYearOfQuarter(q) };
}

/**
 * All labels of customer year `y`: `{ year: 'Y01' }`.
 *
 * @throws {RangeError} when `y` is not an integer ≥ 1.
 */
export function customerYearLabels(y: number): CustomerYearLabels {
  return { year: labelYear(y) };
}

/**
 * All labels of the calendar month starting at `start`:
 * `{ calendarYearMonth: '2016-01', calendarYear: 2016 }`, read in `timeZone`.
 *
 * @throws {InvalidDateError} when `start` is not a valid Date.
 * @throws {UnknownTimeZoneError} when `timeZone` is not a known IANA zone.
 */
export function calendarMonthLabels(start: Date, timeZone = 'UTC'): CalendarMonthLabels {
  return { calendarYearMonth: labelCalendarYearMonth(start, timeZone), calendarYear: calendarYear(start, timeZone) };
}
