import { DateTime } from 'luxon';
import { InvalidRangeError } from '../errors/invalid-range.error.js';
import { shiftMonths } from './months.js';
import { assertTimeZone, assertValidDate, toZoned, withWallClock } from './time-zone.js';

/*
 * Every iterator here tiles [start, end) with periods [boundary(k), boundary(k + 1)), where
 * boundary(0) is `start` and boundary(k) is computed from `start` directly (never from the
 * previous boundary), so neither the day of month nor the time of day drifts. The last period
 * is cut at `end`; `start === end` yields nothing.
 *
 * Wall-clock times are resolved in the time zone as `withWallClock` does: a time inside a
 * spring-forward gap is shifted forward by the gap (that one boundary only: the next is back
 * on the start's time of day); a time that occurs twice on a fall-back day is the earlier
 * instant. A day is thus 23 or 25 hours long across a one-hour DST change.
 */

const DAY_MS = 86_400_000;

/** k ↦ epoch milliseconds of the k-th boundary (k ≥ 1). */
type Boundary = (k: number) => number;

function validate(start: Date, end: Date, timeZone: string): void {
  assertValidDate('start', start);
  assertValidDate('end', end);
  if (end.getTime() < start.getTime()) throw new InvalidRangeError(start, end);
  assertTimeZone(timeZone);
}

function* tile(start: Date, end: Date, boundary: Boundary): Generator<[Date, Date], void, undefined> {
  const endMs = end.getTime();
  let current = start.getTime();
  let k = 0;
  while (current < endMs) {
    let next: number;
    // A zone that skips a whole calendar day (Pacific/Apia skipped 2011-12-30) maps two
    // wall-clock boundaries to one instant; skip it so every period is non-empty.
    do {
      k += 1;
      next = boundary(k);
    } while (next <= current);
    next = Math.min(next, endMs);
    yield [new Date(current), new Date(next)];
    current = next;
  }
}

function dayBoundaries(start: Date, timeZone: string): Boundary {
  const origin = toZoned(start, timeZone);
  const { zone } = origin;
  // The calendar date is stepped in UTC, where every day has 24 hours.
  const date = DateTime.utc(origin.year, origin.month, origin.day);
  const resolve = (k: number): number => {
    const day = date.plus({ days: k });
    return withWallClock(origin, { year: day.year, month: day.month, day: day.day }).toMillis();
  };
  // Resolving a wall-clock time costs several zone look-ups, and a report may ask for
  // thousands of days. When the zone's offset 24 hours after a boundary that kept the
  // start's time of day is the same, the next boundary is that instant (same offset,
  // same wall-clock time, next calendar day): one look-up instead. Only boundaries next
  // to an offset change are resolved in full.
  let last = { k: 0, ms: start.getTime(), offset: origin.offset, onTime: true };
  const onTimeOfDay = (ms: number) => {
    const zoned = DateTime.fromMillis(ms, { zone });
    return zoned.hour === origin.hour && zoned.minute === origin.minute && zoned.second === origin.second;
  };
  return (k) => {
    if (k === last.k + 1 && last.onTime) {
      const ms = last.ms + DAY_MS;
      const offset = zone.offset(ms);
      if (offset === last.offset) {
        last = { k, ms, offset, onTime: true };
        return ms;
      }
    }
    const ms = resolve(k);
    last = { k, ms, offset: zone.offset(ms), onTime: onTimeOfDay(ms) };
    return ms;
  };
}

function monthBoundaries(start: Date, timeZone: string, monthsPerPeriod: number): Boundary {
  const origin = toZoned(start, timeZone);
  return (k) => shiftMonths(origin, k * monthsPerPeriod, origin.day).toMillis();
}

/**
 * Calendar days in `timeZone` from `start` (inclusive) to `end` (exclusive): each runs from
 * `start`'s wall-clock time of day to the same time the next day (23 or 25 hours across a
 * one-hour DST change), the last cut at `end`. Lazy, like django-souvenirs' `iter_days`.
 *
 * DST: a time of day inside a spring-forward gap is shifted forward by the gap; a time that
 * occurs twice on a fall-back day is the earlier instant.
 *
 * @example [...iterDays(new Date('2024-01-01T09:00Z'), new Date('2024-01-02T12:00Z'))]
 *   // [[01T09:00, 02T09:00], [02T09:00, 02T12:00]]
 * @throws {InvalidDateError} when `start` or `end` is not a valid Date (at call time).
 * @throws {InvalidRangeError} when `end` is before `start` (at call time).
 * @throws {UnknownTimeZoneError} when `timeZone` is not a known IANA zone (at call time).
 * @publicApi
 */
export function iterDays(start: Date, end: Date, timeZone = 'UTC'): IterableIterator<[Date, Date]> {
  validate(start, end, timeZone);
  return tile(start, end, dayBoundaries(start, timeZone));
}

/**
 * Months in `timeZone` from `start` (inclusive) to `end` (exclusive), like django-souvenirs'
 * `iter_months`: each starts on `start`'s day of month, or the nearest day where the month is
 * shorter (Jan 31 → Feb 28 → Mar 31: always from the original day, never drifting), at
 * `start`'s wall-clock time of day. The last is cut at `end`. Lazy.
 *
 * DST: a time of day inside a spring-forward gap is shifted forward by the gap; a time that
 * occurs twice on a fall-back day is the earlier instant.
 *
 * @throws {InvalidDateError} when `start` or `end` is not a valid Date (at call time).
 * @throws {InvalidRangeError} when `end` is before `start` (at call time).
 * @throws {UnknownTimeZoneError} when `timeZone` is not a known IANA zone (at call time).
 * @publicApi
 */
export function iterMonths(start: Date, end: Date, timeZone = 'UTC'): IterableIterator<[Date, Date]> {
  validate(start, end, timeZone);
  return tile(start, end, monthBoundaries(start, timeZone, 1));
}

/**
 * Quarters from `start` (inclusive) to `end` (exclusive): three of {@link iterMonths}'
 * months each (same day of month and time of day), the last cut at `end`. Lazy.
 *
 * @throws {InvalidDateError} when `start` or `end` is not a valid Date (at call time).
 * @throws {InvalidRangeError} when `end` is before `start` (at call time).
 * @throws {UnknownTimeZoneError} when `timeZone` is not a known IANA zone (at call time).
 * @publicApi
 */
export function iterQuarters(start: Date, end: Date, timeZone = 'UTC'): IterableIterator<[Date, Date]> {
  validate(start, end, timeZone);
  return tile(start, end, monthBoundaries(start, timeZone, 3));
}

/**
 * Years from `start` (inclusive) to `end` (exclusive): twelve of {@link iterMonths}' months
 * each (same day of month, so a Feb 29 start gives Feb 28 in common years), the last cut
 * at `end`. Lazy.
 *
 * @throws {InvalidDateError} when `start` or `end` is not a valid Date (at call time).
 * @throws {InvalidRangeError} when `end` is before `start` (at call time).
 * @throws {UnknownTimeZoneError} when `timeZone` is not a known IANA zone (at call time).
 * @publicApi
 */
export function iterYears(start: Date, end: Date, timeZone = 'UTC'): IterableIterator<[Date, Date]> {
  validate(start, end, timeZone);
  return tile(start, end, monthBoundaries(start, timeZone, 12));
}
