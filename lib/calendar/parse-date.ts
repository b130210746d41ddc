import { DateTime } from 'luxon';
import { CliUsageError } from '../errors/cli-usage.error.js';
import { fromWallClock, type WallClock } from './time-zone.js';

/** `YYYY-MM-DD`, optionally followed by `T` or a space, a time and an offset. */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
/** `M/D/YYYY` (American order, as in django-souvenirs' tests), optionally with a time. */
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/** The forms a DATE may take, for error messages and `--help`. @internal */
export const DATE_FORMS = 'YYYY-MM-DD, M/D/YYYY or ISO 8601 with a time (2010-01-24T22:00, 2010-01-24T22:00:00-05:00)';

/**
 * Reads a CLI DATE: `YYYY-MM-DD`, `M/D/YYYY` (each optionally with a time), or ISO 8601
 * with a time and an optional offset (`Z`, `+01:00`, `-0500`). Without an offset the text
 * is wall-clock time in `timeZone` (a bare date is its midnight), resolved as
 * `fromWallClock` does across DST changes.
 *
 * @param what how the value is named in the error message (`--after`, `line 3 "when"`).
 * @throws CliUsageError when the text is not one of these forms or not a real date (2010-02-30).
 * @internal
 */
export function parseCliDate(text: string, timeZone: string, what: string): Date {
  const date = tryParseCliDate(text, timeZone);
  if (!date) throw new CliUsageError(`${what}: cannot read ${JSON.stringify(text)} as a date; use ${DATE_FORMS}.`);
  return date;
}

/** {@link parseCliDate} without the error: `undefined` when `text` is not a date. @internal */
export function tryParseCliDate(text: string, timeZone: string): Date | undefined {
  const trimmed = text.trim();
  const iso = ISO.exec(trimmed);
  if (iso) {
    const [, year, month, day, hour, minute, second, fraction, offset] = iso;
    return resolve(wallClockOf(year, month, day, hour, minute, second, fraction), timeZone, offset);
  }
  const us = US.exec(trimmed);
  if (us) {
    const [, month, day, year, hour, minute, second] = us;
    return resolve(wallClockOf(year, month, day, hour, minute, second, undefined), timeZone, undefined);
  }
  return undefined;
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
