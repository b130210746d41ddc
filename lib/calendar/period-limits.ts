import { InvalidDateError } from '../errors/invalid-date.error.js';
import { RangeTooLargeError } from '../errors/range-too-large.error.js';
import { assertValidDate } from './time-zone.js';

/**
 * The most periods one report (or `usageForPeriods` call) may have: 10,000, about 27 years
 * of days or 833 years of months. One SQL statement lists them all, with two bind
 * parameters each on MySQL/MariaDB (whose limit is 65,535).
 *
 * @publicApi
 */
export const MAX_REPORT_PERIODS = 10_000;

/**
 * The instants activity may be written at and reports may ask about: years 1000 to 9999
 * (UTC), what MariaDB's `DATETIME`, the narrowest of the supported databases, holds.
 *
 * @publicApi
 */
export const SUPPORTED_DATES = {
  min: new Date('1000-01-01T00:00:00.000Z'),
  max: new Date('9999-12-31T23:59:59.999Z'),
} as const;

/** The longest each kind of period can be (a skipped calendar day, a DST hour), for lower bounds. */
export const LONGEST_PERIOD_MS = {
  day: 49 * 3_600_000,
  month: 32 * 86_400_000,
  quarter: 94 * 86_400_000,
  year: 368 * 86_400_000,
} as const;

/**
 * Checks that `value` is a valid Date within {@link SUPPORTED_DATES}.
 *
 * @throws InvalidDateError when it is not a valid Date, or (`reason: 'out-of-range'`) outside the supported years.
 * @internal
 */
export function assertSupportedDate(argument: string, value: unknown): asserts value is Date {
  assertValidDate(argument, value);
  const ms = value.getTime();
  if (ms < SUPPORTED_DATES.min.getTime() || ms > SUPPORTED_DATES.max.getTime()) {
    throw new InvalidDateError(argument, value, SUPPORTED_DATES);
  }
}

/**
 * Refuses at once, before enumerating anything, a range `[start, end)` certain to hold more
 * than `maximum` periods, none of which is longer than `longestMs`: pure arithmetic.
 *
 * @throws RangeTooLargeError
 * @internal
 */
export function refuseLongRange(call: string, unit: string, start: Date, end: Date, longestMs: number, maximum: number): void {
  if ((end.getTime() - start.getTime()) / longestMs > maximum) throw new RangeTooLargeError(call, unit, maximum);
}

/**
 * The items of `items` as an array, read one by one and refused as soon as there are more
 * than `maximum`: bounded work and memory for any iterable, an endless one included.
 *
 * @throws RangeTooLargeError
 * @internal
 */
export function takeAtMost<T>(items: Iterable<T>, maximum: number, call: string, unit: string): T[] {
  const taken: T[] = [];
  for (const item of items) {
    if (taken.length === maximum) throw new RangeTooLargeError(call, unit, maximum);
    taken.push(item);
  }
  return taken;
}
