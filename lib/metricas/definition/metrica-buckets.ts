import { DateTime } from 'luxon';
import { describeValue } from '../../errors/describe-value.js';
import { InvalidTimespanError } from '../../errors/invalid-timespan.error.js';
import { RangeTooLargeError } from '../../errors/range-too-large.error.js';
import { SCALES } from './metrica-definition.js';
import type { Scale } from './metrica-definition.interface.js';
import type { Timespan } from './metrica-types.js';

/**
 * Date buckets of metricas: which bucket an instant falls in, which buckets a
 * timespan covers, and the buckets of `iterate()` and `timeserie()`, all on the
 * module's time zone's wall clock (see {@link MetricaKeys} for the bucket ids).
 */

/** The bucket of all time. @internal */
export const ALL_TIME_BUCKET = 'all';

/** A timespan once checked: its fields and how many of them are given (0: all time). @internal */
export interface ResolvedTimespan {
  readonly fields: Readonly<Timespan>;
  readonly depth: number;
}

/** The timespan of all time. @internal */
export const ALL_TIME: ResolvedTimespan = Object.freeze({ fields: Object.freeze({}), depth: 0 });

/** One point of a date iteration: its key and the buckets it sums (2 in a repeated hour, 0 in a skipped one). @internal */
export interface DatePoint<K> {
  readonly key: K;
  readonly buckets: readonly string[];
}

const RANGES: Record<Exclude<Scale, 'day'>, readonly [number, number]> = {
  year: [1, 9999],
  month: [1, 12],
  hour: [0, 23],
  minute: [0, 59],
};

/** Rough bucket lengths, to size a time series before building it. */
const APPROX_MS: Record<Scale, number> = {
  year: 365.25 * 86_400_000,
  month: 30.44 * 86_400_000,
  day: 86_400_000,
  hour: 3_600_000,
  minute: 60_000,
};

/** The longest a bucket can be (DST, a skipped calendar day), so span / longest is a lower bound of the points. */
const LONGEST_MS: Record<Scale, number> = {
  year: 368 * 86_400_000,
  month: 32 * 86_400_000,
  day: 49 * 3_600_000,
  hour: 2 * 3_600_000,
  minute: 61_000,
};

/** The most points one time series (`timeserie*`, a dashboard chart) may have. */
export const MAX_TIMESERIE_POINTS = 10_000;

/** The finest scale whose series over the range stays within this many points is the default. @internal */
export const DEFAULT_TIMESERIE_POINTS = 366;

function two(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

function year4(year: number): string {
  return year >= 0 && year < 1000 ? String(year).padStart(4, '0') : String(year);
}

function offsetSuffix(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${two(Math.floor(abs / 60))}${two(abs % 60)}`;
}

/** The id of the bucket of `scale` that `dt` (read in its zone) falls in. @internal */
export function bucketId(scale: Scale, dt: DateTime): string {
  const year = year4(dt.year);
  switch (scale) {
    case 'year':
      return year;
    case 'month':
      return `${year}-${two(dt.month)}`;
    case 'day':
      return `${year}-${two(dt.month)}-${two(dt.day)}`;
    case 'hour':
      return `${year}-${two(dt.month)}-${two(dt.day)}T${two(dt.hour)}${offsetSuffix(dt.offset)}`;
    case 'minute':
      return `${year}-${two(dt.month)}-${two(dt.day)}T${two(dt.hour)}:${two(dt.minute)}${offsetSuffix(dt.offset)}`;
  }
}

/** The id of the bucket of a year (`2024`; `0999` below 1000). @internal */
export function yearBucketId(year: number): string {
  return bucketId('year', DateTime.utc(year));
}

/**
 * Merges `given` into `base` and checks the result.
 *
 * @internal
 * @throws InvalidTimespanError naming the field at fault and what is allowed.
 */
export function resolveTimespan(metrica: string, base: Timespan, given: unknown, kept: ReadonlySet<Scale>): ResolvedTimespan {
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new InvalidTimespanError(metrica, 'timespan', `expected an object such as { year: 2024, month: 2 }, received ${describeValue(given)}.`);
  }
  const fields: Timespan = { ...base };
  for (const [field, value] of Object.entries(given)) {
    if (!SCALES.includes(field as Scale)) {
      throw new InvalidTimespanError(metrica, field, `unknown field; the fields are ${SCALES.join(', ')}.`);
    }
    if (value !== undefined) fields[field as Scale] = value as number;
  }
  let depth = 0;
  SCALES.forEach((scale, index) => {
    if (fields[scale] === undefined) return;
    const missing = SCALES.slice(0, index).find((coarser) => fields[coarser] === undefined);
    if (missing) {
      throw new InvalidTimespanError(
        metrica,
        missing,
        `\`${scale}\` is given without \`${missing}\`: a finer field needs every coarser one (${SCALES.slice(0, index + 1).join(', ')}).`,
      );
    }
    checkRange(metrica, scale, fields);
    depth = index + 1;
  });
  if (depth > 0) {
    const finest = SCALES[depth - 1];
    if (!kept.has(finest)) throw notKept(metrica, finest, kept);
  }
  return Object.freeze({ fields: Object.freeze(fields), depth });
}

function checkRange(metrica: string, scale: Scale, fields: Timespan): void {
  const value = fields[scale];
  const [min, max] =
    scale === 'day' ? [1, DateTime.utc(fields.year as number, fields.month as number, 1).daysInMonth as number] : RANGES[scale];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const where = scale === 'day' ? ` in ${fields.year}-${two(fields.month as number)}` : '';
    throw new InvalidTimespanError(metrica, scale, `${describeValue(value)} is out of range; allowed are integers ${min}-${max}${where}.`);
  }
}

/** The error for a scale the metrica does not keep. @internal */
export function notKept(metrica: string, scale: Scale | string, kept: ReadonlySet<Scale>): InvalidTimespanError {
  const keeps = SCALES.filter((one) => kept.has(one));
  return new InvalidTimespanError(
    metrica,
    String(scale),
    `the metrica does not keep the \`${scale}\` scale; it keeps ${keeps.length ? keeps.join(', ') : 'all-time totals only'}.`,
  );
}

/** The buckets a checked timespan covers (an hour or minute may exist twice, or not at all, on a DST day). @internal */
export function timespanBuckets(timespan: ResolvedTimespan, timeZone: string): string[] {
  const { fields, depth } = timespan;
  if (depth === 0) return [ALL_TIME_BUCKET];
  const scale = SCALES[depth - 1];
  if (depth <= 3) return [bucketId(scale, DateTime.utc(fields.year!, fields.month ?? 1, fields.day ?? 1))];
  return localBuckets(scale, fields, timeZone);
}

/**
 * The buckets of one local hour or minute: every instant the wall clock shows it,
 * checked at its first and last minute (a 30-minute DST shift splits an hour).
 *
 * @internal
 */
export function localBuckets(scale: Scale, fields: Timespan, timeZone: string): string[] {
  const ids = new Set<string>();
  const minutes = scale === 'hour' ? [0, 59] : [fields.minute!];
  for (const minute of minutes) {
    const wall = { year: fields.year!, month: fields.month!, day: fields.day!, hour: fields.hour!, minute };
    for (const candidate of DateTime.fromObject(wall, { zone: timeZone }).getPossibleOffsets()) {
      if (candidate.day === wall.day && candidate.hour === wall.hour && candidate.minute === minute) {
        ids.add(bucketId(scale, candidate));
      }
    }
  }
  return [...ids];
}

/**
 * The points of `iterate()` without an axis: the next scale below the timespan
 * (years seen; months 1-12; days of the month; hours 0-23; minutes 0-59).
 *
 * @internal
 * @throws InvalidTimespanError when that scale is not kept, or the timespan is a minute.
 */
export function nextScalePoints(
  metrica: string,
  timespan: ResolvedTimespan,
  kept: ReadonlySet<Scale>,
  timeZone: string,
  yearsSeen: readonly number[],
): DatePoint<number>[] {
  const { fields, depth } = timespan;
  if (depth === SCALES.length) {
    throw new InvalidTimespanError(metrica, 'minute', 'a minute is the finest bucket; there is nothing below it to iterate.');
  }
  const scale = SCALES[depth];
  if (!kept.has(scale)) throw notKept(metrica, scale, kept);
  const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, index) => from + index);
  switch (scale) {
    case 'year':
      return [...yearsSeen].sort((a, b) => a - b).map((year) => ({ key: year, buckets: [yearBucketId(year)] }));
    case 'month':
      return range(1, 12).map((month) => ({ key: month, buckets: [bucketId('month', DateTime.utc(fields.year!, month))] }));
    case 'day': {
      const days = DateTime.utc(fields.year!, fields.month!, 1).daysInMonth as number;
      return range(1, days).map((day) => ({ key: day, buckets: [bucketId('day', DateTime.utc(fields.year!, fields.month!, day))] }));
    }
    case 'hour':
      return range(0, 23).map((hour) => ({ key: hour, buckets: localBuckets('hour', { ...fields, hour }, timeZone) }));
    case 'minute':
      return range(0, 59).map((minute) => ({ key: minute, buckets: localBuckets('minute', { ...fields, minute }, timeZone) }));
  }
}

/**
 * The default scale of a time series: the finest kept scale giving at most
 * {@link DEFAULT_TIMESERIE_POINTS} points over the range, else the coarsest kept one.
 *
 * @internal
 */
export function defaultTimeserieScale(since: Date, until: Date, kept: ReadonlySet<Scale>): Scale | undefined {
  const scales = SCALES.filter((scale) => kept.has(scale));
  const span = until.getTime() - since.getTime();
  return [...scales].reverse().find((scale) => span / APPROX_MS[scale] + 1 <= DEFAULT_TIMESERIE_POINTS) ?? scales[0];
}

/**
 * The buckets of a time series: since's bucket, then every following bucket that
 * starts before `until`, each with its start instant. Hours and minutes step in
 * real time (a fall-back night has two 01:00 points, a spring-forward one no 02:00);
 * days, months and years step on the calendar and start at local midnight.
 *
 * @internal
 * @throws RangeTooLargeError when the series would exceed {@link MAX_TIMESERIE_POINTS}: refused
 * at once when the span alone shows it, else as soon as the count passes it.
 */
export function timeseriePoints(metrica: string, since: Date, until: Date, scale: Scale, timeZone: string): DatePoint<Date>[] {
  const tooLarge = () => new RangeTooLargeError(`${metrica} timeserie`, `${scale} buckets`, MAX_TIMESERIE_POINTS);
  if ((until.getTime() - since.getTime()) / LONGEST_MS[scale] > MAX_TIMESERIE_POINTS) throw tooLarge();
  const end = until.getTime();
  const points: DatePoint<Date>[] = [];
  let current = bucketStart(DateTime.fromJSDate(since, { zone: timeZone }), scale);
  do {
    if (points.length === MAX_TIMESERIE_POINTS) throw tooLarge();
    points.push({ key: current.toJSDate(), buckets: [bucketId(scale, current)] });
    current = nextBucketStart(current, scale);
  } while (current.toMillis() < end);
  return points;
}

function bucketStart(dt: DateTime, scale: Scale): DateTime {
  if (scale === 'minute') return dt.minus({ seconds: dt.second, milliseconds: dt.millisecond });
  // Subtracting real minutes keeps the instant's own offset, so 01:30 EST starts at 01:00 EST.
  if (scale === 'hour') return dt.minus({ minutes: dt.minute, seconds: dt.second, milliseconds: dt.millisecond });
  return dt.startOf(scale);
}

function nextBucketStart(current: DateTime, scale: Scale): DateTime {
  if (scale === 'minute') return current.plus({ minutes: 1 });
  if (scale === 'hour') {
    const next = current.plus({ hours: 1 });
    // After a 30-minute offset change, realign on the local hour.
    const aligned = next.minute === 0 ? next : next.minus({ minutes: next.minute });
    return aligned.toMillis() > current.toMillis() ? aligned : next;
  }
  return current.plus({ [`${scale}s`]: 1 }).startOf(scale);
}
