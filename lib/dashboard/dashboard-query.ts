import { BadRequestException } from '@nestjs/common';
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
