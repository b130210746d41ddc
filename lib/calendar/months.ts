import { DateTime } from 'luxon';
import { assertTimeZone, assertValidDate, fromWallClock, toZoned, withWallClock } from './time-zone.js';

/**
 * Options of {@link nextMonth}.
 */
export interface NextMonthOptions {
  /** Day of month to aim for (1-31), clamped to the target month; default: `dt`'s own day. */
  preferredDom?: number;
  /** How many months to move, negative to go back; never 0. Default `1`. */
  delta?: number;
  /** IANA zone whose wall clock is used. Default `'UTC'`. */
  timeZone?: string;
}

/**
 * `day` clamped to the days of `year`/`month`, as django-souvenirs' `nearest_dom`:
 * `nearestDom(2017, 2, 30) === 28`, `nearestDom(2016, 2, 30) === 29`.
 *
 * @param month 1-12.
 * @throws {RangeError} when `year` is not an integer, `month` not an integer in 1-12, or `day`
 *   not an integer ≥ 1 (the original raises `ValueError` in such cases).
 * @publicApi
 */
export function nearestDom(year: number, month: number, day: number): number {
  if (!Number.isInteger(year)) throw new RangeError(`nearestDom: year must be an integer, received ${year}.`);
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new RangeError(`nearestDom: month must be an integer from 1 to 12, received ${month}.`);
  }
  if (!Number.isInteger(day) || day < 1) {
    throw new RangeError(`nearestDom: day must be an integer of at least 1, received ${day}.`);
  }
  // A UTC date has no DST, so this is pure calendar arithmetic.
  return Math.min(day, DateTime.utc(year, month, 1).daysInMonth as number);
}

/**
 * The month `delta` months after `origin`'s (wall clock, in `origin`'s zone), on `preferredDom`
 * (clamped) at `origin`'s wall-clock time of day, resolved as {@link withWallClock} does.
 * Callers validate; the iterators use it with `delta` counted from the period start, so
 * the day of month never drifts (Jan 31 → Feb 28 → Mar 31).
 *
 * @internal
 */
export function shiftMonths(origin: DateTime, delta: number, preferredDom: number): DateTime {
  // A UTC date has no DST, so this is pure calendar arithmetic.
  const target = DateTime.utc(origin.year, origin.month, 1).plus({ months: delta });
  return withWallClock(origin, {
    year: target.year,
    month: target.month,
    day: nearestDom(target.year, target.month, preferredDom),
  });
}

/**
 * `dt` moved by `delta` months on the wall clock of `timeZone`, like django-souvenirs'
 * `next_month`: the day is `preferredDom` (default `dt`'s day) clamped to the target month
 * (Jan 31 + 1 month is Feb 28), and the wall-clock time of day is kept.
 *
 * DST: a time of day that does not exist on the target day (spring-forward gap) is shifted
 * forward by the gap; one that exists twice (fall-back) is the earlier instant.
 *
 * @example nextMonth(new Date('2017-01-31T10:00:00Z')) // 2017-02-28T10:00:00Z
 * @throws {RangeError} when `delta` is 0 or not an integer, or `preferredDom` is not an integer in 1-31.
 * @throws {InvalidDateError} when `dt` is not a valid Date.
 * @throws {UnknownTimeZoneError} when `timeZone` is not a known IANA zone.
 * @publicApi
 */
export function nextMonth(dt: Date, options: NextMonthOptions = {}): Date {
  const { preferredDom, delta = 1, timeZone = 'UTC' } = options;
  assertValidDate('dt', dt);
  if (!Number.isInteger(delta) || delta === 0) {
    throw new RangeError(`nextMonth: delta must be a non-zero integer, received ${delta}.`);
  }
  if (preferredDom !== undefined && (!Number.isInteger(preferredDom) || preferredDom < 1 || preferredDom > 31)) {
    throw new RangeError(`nextMonth: preferredDom must be an integer from 1 to 31, received ${preferredDom}.`);
  }
  assertTimeZone(timeZone);
  const zoned = toZoned(dt, timeZone);
  return shiftMonths(zoned, delta, preferredDom ?? zoned.day).toJSDate();
}

/**
 * The start of `dt`'s calendar month in `timeZone`: the 1st, 00:00 on the wall clock (or the
 * first instant of that day, where midnight falls in a DST gap).
 *
 * @throws {InvalidDateError} when `dt` is not a valid Date.
 * @throws {UnknownTimeZoneError} when `timeZone` is not a known IANA zone.
 * @publicApi
 */
export function adjustToCalendarMonth(dt: Date, timeZone = 'UTC'): Date {
  assertValidDate('dt', dt);
  assertTimeZone(timeZone);
  const zoned = toZoned(dt, timeZone);
  return fromWallClock({ year: zoned.year, month: zoned.month, day: 1 }, timeZone).toJSDate();
}

/**
 * The latest start of a subscription month at or before `dt`, as django-souvenirs'
 * `adjust_to_subscription_start`: `dt`'s month on `subscriptionStart`'s day of month
 * (clamped) at its wall-clock time of day; if that is after `dt`, the same in the previous
 * month. The result is one of the month boundaries `iterMonths(subscriptionStart, …)` yields.
 *
 * @throws {InvalidDateError} when `dt` or `subscriptionStart` is not a valid Date.
 * @throws {UnknownTimeZoneError} when `timeZone` is not a known IANA zone.
 * @publicApi
 */
export function adjustToSubscriptionStart(dt: Date, subscriptionStart: Date, timeZone = 'UTC'): Date {
  assertValidDate('dt', dt);
  assertValidDate('subscriptionStart', subscriptionStart);
  assertTimeZone(timeZone);
  const zoned = toZoned(dt, timeZone);
  const start = toZoned(subscriptionStart, timeZone);
  const monthsFromStart = (zoned.year - start.year) * 12 + (zoned.month - start.month);
  let adjusted = boundaryOf(start, monthsFromStart);
  if (adjusted.toMillis() > dt.getTime()) adjusted = boundaryOf(start, monthsFromStart - 1);
  return adjusted.toJSDate();
}

// The k-th month boundary from the subscription start; the 0th is the start itself, which may
// be the later instant of an ambiguous wall-clock time that fromWallClock would not pick.
function boundaryOf(start: DateTime, k: number): DateTime {
  return k === 0 ? start : shiftMonths(start, k, start.day);
}
