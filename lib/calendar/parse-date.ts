import { DateTime } from 'luxon';
import { CliUsageError } from '../errors/cli-usage.error.js';
import { SUPPORTED_DATES } from './period-limits.js';
import { fromWallClock, type WallClock } from './time-zone.js';

/** `YYYY-MM-DD`, optionally followed by `T` or a space, a time and an offset. */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
/** `M/D/YYYY` (American order, as in django-souvenirs' tests), optionally with a time. */
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/** The forms a DATE may take, for error messages and `--help`. @internal */
export const DATE_FORMS = 'YYYY-MM-DD, M/D/YYYY or ISO 8601 with a time (2010-01-24T22:00, 2010-01-24T22:00:00-05:00)';

/** A date a user gave, read: the instant, or what is wrong with the text (a sentence). @internal */
export type DateReading = { readonly date: Date; readonly problem?: undefined } | { readonly date?: undefined; readonly problem: string };

/**
 * The one reader of every date a user gives: the CLI's flags and backfill files, the
 * dashboard's `since`/`until` and the analytics endpoints' `start`/`end`. It takes
 * `YYYY-MM-DD`, `M/D/YYYY` (each optionally with a time), or ISO 8601 with a time and an
 * optional offset (`Z`, `+01:00`, `-0500`). Without an offset the text is wall-clock time
 * in `timeZone` (a bare date is its midnight), resolved as `fromWallClock` does across DST
 * changes.
 *
 * Refused, each with its reason: text in none of these forms, a date or time that does
 * not exist (2010-02-30, 25:00), an offset outside -23:59…+23:59 (`+24:00`, `+99:99`,
 * which luxon would read as +100:39), and an instant outside `SUPPORTED_DATES` (years
 * 1000–9999, UTC), the range every report and write accepts.
 *
 * @internal
 */
export function readDate(text: string, timeZone: string): DateReading {
  const trimmed = text.trim();
  const unreadable = { problem: `cannot read ${JSON.stringify(text)} as a date; use ${DATE_FORMS}.` };
  const iso = ISO.exec(trimmed);
  const us = iso ? null : US.exec(trimmed);
  let date: Date | undefined;
  if (iso) {
    const [, year, month, day, hour, minute, second, fraction, offset] = iso;
    if (offset !== undefined && !isUtcOffset(offset)) {
      return { problem: `${JSON.stringify(text)} has the offset ${offset}, which no clock has; an offset runs from -23:59 to +23:59.` };
    }
    date = resolve(wallClockOf(year, month, day, hour, minute, second, fraction), timeZone, offset);
  } else if (us) {
    const [, month, day, year, hour, minute, second] = us;
    date = resolve(wallClockOf(year, month, day, hour, minute, second, undefined), timeZone, undefined);
  }
  if (date === undefined) return unreadable;
  if (date < SUPPORTED_DATES.min || date > SUPPORTED_DATES.max) {
    return { problem: `${JSON.stringify(text)} is outside the supported dates, years 1000 to 9999 (UTC).` };
  }
  return { date };
}

/**
 * Reads a CLI DATE with {@link readDate}.
 *
 * @param what how the value is named in the error message (`--after`, `line 3 "when"`).
 * @throws CliUsageError saying what is wrong with the text.
 * @internal
 */
export function parseCliDate(text: string, timeZone: string, what: string): Date {
  const { date, problem } = readDate(text, timeZone);
  if (problem !== undefined) throw new CliUsageError(`${what}: ${problem}`);
  return date;
}

/** {@link readDate}'s instant, `undefined` when the text is refused. @internal */
export function tryParseCliDate(text: string, timeZone: string): Date | undefined {
  return readDate(text, timeZone).date;
}

/** Whether `Z`, `±HH`, `±HHMM` or `±HH:MM` is an offset a clock can have: hours 00–23, minutes 00–59. */
function isUtcOffset(offset: string): boolean {
  if (offset.toUpperCase() === 'Z') return true;
  const digits = offset.slice(1).replace(':', '');
  return Number(digits.slice(0, 2)) <= 23 && Number(digits.slice(2) || '0') <= 59;
}

/** The wall-clock fields of a matched date; absent time fields are 0. */
function wallClockOf(...[year, month, day, hour, minute, second, fraction]: (string | undefined)[]): WallClock {
  return {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour ?? 0),
    minute: Number(minute ?? 0),
    second: Number(second ?? 0),
    millisecond: fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0,
  };
}

/** The instant of `wallClock`, read at `offset` when given, else in `timeZone`; undefined if not a real date. */
function resolve(wallClock: WallClock, timeZone: string, offset: string | undefined): Date | undefined {
  // Checked in UTC first: luxon rejects 2010-02-30 or 25:00 there, with no DST to get in the way.
  if (!DateTime.fromObject(wallClock, { zone: 'UTC' }).isValid) return undefined;
  if (offset === undefined) {
    const dateTime = fromWallClock(wallClock, timeZone);
    return dateTime.isValid ? dateTime.toJSDate() : undefined;
  }
  const zone = offset.toUpperCase() === 'Z' ? 'UTC' : `UTC${normaliseOffset(offset)}`;
  const dateTime = DateTime.fromObject(wallClock, { zone });
  return dateTime.isValid ? dateTime.toJSDate() : undefined;
}

/** `-05`, `-0500` or `-05:00` as luxon's fixed-offset zone suffix `-05:00`. */
function normaliseOffset(offset: string): string {
  const digits = offset.slice(1).replace(':', '');
  return `${offset[0]}${digits.slice(0, 2)}:${digits.slice(2) || '00'}`;
}
