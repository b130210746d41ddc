import { BadRequestException } from '@nestjs/common';
import { DateTime } from 'luxon';
import { DATE_FORMS, readDate } from '../calendar/parse-date.js';
import type { Scale } from '../metricas/definition/metrica-definition.interface.js';

/** A query parameter as Express and Fastify hand it over. @internal */
export type QueryValue = string | string[] | undefined;

function single(name: string, value: QueryValue): string | undefined {
  if (Array.isArray(value)) throw new BadRequestException(`Query parameter \`${name}\` was given more than once; give it once.`);
  return value === undefined || value === '' ? undefined : value;
}

/**
 * An integer query parameter within [min, max], `fallback` when absent.
 * @throws BadRequestException (400) naming the parameter and what it accepts
 * @internal
 */
export function integerParam(name: string, value: QueryValue, min: number, max: number, fallback: number): number {
  const text = single(name, value);
  if (text === undefined) return fallback;
  const parsed = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new BadRequestException(`Query parameter \`${name}\` must be an integer from ${min} to ${max}, received "${text}".`);
  }
  return parsed;
}

/**
 * A date query parameter, `undefined` when absent: read by `readDate`, as the CLI reads a DATE, so a
 * bare date (`2026-01-31`, what a date picker sends) or a time without an offset is
 * wall-clock time in `timeZone`, and `2026-01-31T12:00:00Z` is that instant.
 * @throws BadRequestException (400)
 * @internal
 */
export function dateParam(name: string, value: QueryValue, timeZone: string): Date | undefined {
  const text = single(name, value);
  if (text === undefined) return undefined;
  const { date, problem } = readDate(text, timeZone);
  if (problem !== undefined) {
    throw new BadRequestException(
      `Query parameter \`${name}\` must be an ISO 8601 date such as 2026-01-31 or 2026-01-31T12:00:00Z (also ${DATE_FORMS}) ` +
        `within the years 1000 to 9999; without an offset it is read in ${timeZone}. ${problem}`,
    );
  }
  return date;
}

/**
 * A date scale among those a metrica keeps, `undefined` when absent (the metrica picks one).
 * @throws BadRequestException (400)
 * @internal
 */
export function scaleParam(value: QueryValue, kept: readonly Scale[]): Scale | undefined {
  const text = single('scale', value);
  if (text === undefined) return undefined;
  if (!(kept as readonly string[]).includes(text)) {
    throw new BadRequestException(`Query parameter \`scale\` must be one of ${kept.join(', ')}, received "${text}".`);
  }
  return text as Scale;
}

/** Longest range of local days the overview draws (its comparison reads as many again before it). */
export const MAX_OVERVIEW_DAYS = 730;

/**
 * The overview's range of local days, both ends included: `from` and `to` as a date
 * picker sends them (`YYYY-MM-DD`, local days in `timeZone`), else the last `days`
 * (1-730, default 90) ending today.
 * @throws BadRequestException (400) for a bad date, `to` before `from`, or more than 730 days
 * @internal
 */
export function dayRangeParams(query: Record<string, QueryValue>, today: DateTime): { first: DateTime; last: DateTime } {
  const zone = today.zoneName ?? 'UTC';
  const day = (name: string): DateTime | undefined => {
    const text = single(name, query[name]);
    if (text === undefined) return undefined;
    // A local day, not an instant: only the bare form, read by the one date reader (its range included).
    const { date } = /^\d{4}-\d{2}-\d{2}$/.test(text) ? readDate(text, zone) : { date: undefined };
    if (date === undefined) throw new BadRequestException(`Query parameter \`${name}\` must be a local date such as 2026-01-31 (in ${zone}), years 1000 to 9999, received "${text}".`);
    return DateTime.fromJSDate(date, { zone }).startOf('day');
  };
  const [from, to] = [day('from'), day('to')];
  const days = integerParam('days', query.days, 1, MAX_OVERVIEW_DAYS, 90);
  const last = to ?? (from ? DateTime.max(from, today) : today);
  const first = from ?? last.minus({ days: days - 1 });
  if (last < first) throw new BadRequestException(`Query parameter \`to\` (${last.toISODate()}) is before \`from\` (${first.toISODate()}); give a range forwards.`);
  if (Math.round(last.diff(first, 'days').days) + 1 > MAX_OVERVIEW_DAYS) {
    throw new BadRequestException(`The range from ${first.toISODate()} to ${last.toISODate()} is longer than ${MAX_OVERVIEW_DAYS} days; pick a shorter one.`);
  }
  return { first, last };
}
