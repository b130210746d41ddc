import { BadRequestException } from '@nestjs/common';
import type { Scale } from '../metricas/metrica-definition.interface.js';

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
 * A date query parameter (ISO 8601, e.g. `2026-01-31` or `2026-01-31T12:00:00Z`), `undefined` when absent.
 * @throws BadRequestException (400)
 * @internal
 */
export function dateParam(name: string, value: QueryValue): Date | undefined {
  const text = single(name, value);
  if (text === undefined) return undefined;
  const date = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text) ? new Date(text) : new Date(NaN);
  if (Number.isNaN(date.getTime())) {
    throw new BadRequestException(`Query parameter \`${name}\` must be an ISO 8601 date such as 2026-01-31 or 2026-01-31T12:00:00Z, received "${text}".`);
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
