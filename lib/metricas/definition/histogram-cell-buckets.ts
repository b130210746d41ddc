import { DateTime } from 'luxon';
import { InvalidTimespanError } from '../../errors/invalid-timespan.error.js';
import { RangeTooLargeError } from '../../errors/range-too-large.error.js';
import { ALL_TIME_BUCKET, bucketId, localBuckets } from './metrica-buckets.js';
import { SCALES } from './metrica-definition.js';
import type { Scale } from './metrica-definition.interface.js';

/**
 * Where a histogram's counts of a date bucket are read from. Its cells are kept at
 * all-time and at `histogram.scales` only (see `histogram-buckets.ts`); a bucket of
 * another kept scale is the sum of its sub-buckets at the next finer scale that is
 * kept (a month: its days; a year: its days too, when months are not kept). A kick
 * writes all its buckets from one local wall-clock reading, so the days whose ids
 * fall in a month hold exactly the kicks of that month: the sum is exact.
 */

/**
 * Most histogram cells one read may sum (date buckets × histogram buckets, each
 * sub-bucket counted at most: 31 days a month, 25 hours a day): a year's
 * percentiles summed from its days are 372 date buckets, 4,464 cells of a
 * 12-bucket histogram. Past it, the read is refused before any work (narrow the
 * range, or keep a coarser scale in `histogram.scales`).
 *
 * @internal
 */
export const MAX_HISTOGRAM_READ_CELLS = 100_000;

/**
 * Most cells one read of a stored set's members may sum per member (date buckets
 * × histogram buckets): each is a template of one `readCountersOfMembers` call,
 * an argument of one Redis script.
 *
 * @internal
 */
export const MAX_HISTOGRAM_MEMBER_CELLS = 20_000;

/** The most sub-buckets one bucket of a scale has one scale finer (25 hours: a fall-back day). */
const MOST_SUB_BUCKETS: Record<Scale, number> = { year: 12, month: 31, day: 25, hour: 60, minute: 1 };

/**
 * The kept scale whose cells a histogram query at `scale` sums: `scale` itself
 * when its cells are kept, else the coarsest kept one finer than it; `undefined`
 * when none is finer (a minute when only days and hours are kept).
 *
 * @internal
 */
export function histogramSourceScale(scale: Scale, stored: ReadonlySet<Scale>): Scale | undefined {
  for (let index = SCALES.indexOf(scale); index < SCALES.length; index++) {
    if (stored.has(SCALES[index])) return SCALES[index];
  }
  return undefined;
}

/**
 * The scales a histogram can answer: every kept scale at least as coarse as one
 * whose cells are kept.
 *
 * @internal
 */
export function histogramReadableScales(kept: ReadonlySet<Scale>, stored: ReadonlySet<Scale>): ReadonlySet<Scale> {
  return new Set(SCALES.filter((scale) => kept.has(scale) && histogramSourceScale(scale, stored) !== undefined));
}

/**
 * The error for a histogram query at a scale no kept cells can answer.
 *
 * @internal
 */
export function histogramNotKept(metrica: string, scale: Scale, stored: ReadonlySet<Scale>): InvalidTimespanError {
  const keeps = SCALES.filter((one) => stored.has(one));
  return new InvalidTimespanError(
    metrica,
    scale,
    `the histogram keeps its cells at all-time${keeps.map((one) => `, ${one}`).join('')} (\`histogram.scales\`), none as fine as a ${scale}: ` +
      `add '${scale}' to \`histogram.scales\` to read percentiles and buckets per ${scale}.`,
  );
}

/** A bucket id's scale (`null`: all time), read back from its shape (see `MetricaKeys`). */
function scaleOf(id: string): Scale | null {
  if (id === ALL_TIME_BUCKET) return null;
  const time = id.indexOf('T');
  if (time !== -1) return id.indexOf(':', time) === -1 ? 'hour' : 'minute';
  // `2024`, `2024-02`, `2024-02-07`; a year may be negative (`-0044`).
  const dashes = id.slice(1).split('-').length - 1;
  return dashes === 0 ? 'year' : dashes === 1 ? 'month' : 'day';
}

function two(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** The ids of the buckets one scale finer than `id` (of `scale`) that make it up. */
function subBuckets(id: string, scale: Scale, timeZone: string): string[] {
  switch (scale) {
    case 'year':
      return Array.from({ length: 12 }, (_, month) => `${id}-${two(month + 1)}`);
    case 'month': {
      const cut = id.lastIndexOf('-');
      const days = DateTime.utc(Number(id.slice(0, cut)), Number(id.slice(cut + 1)), 1).daysInMonth as number;
      return Array.from({ length: days }, (_, day) => `${id}-${two(day + 1)}`);
    }
    case 'day': {
      const [day, month] = [id.lastIndexOf('-'), id.lastIndexOf('-', id.lastIndexOf('-') - 1)];
      const fields = { year: Number(id.slice(0, month)), month: Number(id.slice(month + 1, day)), day: Number(id.slice(day + 1)) };
      const start = DateTime.fromObject(fields, { zone: timeZone });
      const next = start.plus({ days: 1 });
      if (start.hour === 0 && next.hour === 0 && start.offset === next.offset) {
        // No change of offset that day (the usual case): its 24 hours, all at that offset.
        return Array.from({ length: 24 }, (_, hour) => bucketId('hour', start.set({ hour })));
      }
      // Every hour the wall clock shows that day: two on a fall-back night, none skipped.
      const hours = new Set<string>();
      for (let hour = 0; hour < 24; hour++) for (const bucket of localBuckets('hour', { ...fields, hour }, timeZone)) hours.add(bucket);
      return [...hours];
    }
    case 'hour': {
      // `…T05-0500` → `…T05:00-0500` … `…T05:59-0500`: the same offset, every minute.
      const offset = id.length - 5;
      return Array.from({ length: 60 }, (_, minute) => `${id.slice(0, offset)}:${two(minute)}${id.slice(offset)}`);
    }
    case 'minute':
      return [id];
  }
}

/**
 * The buckets whose histogram cells sum to those of `ids` (ids of one point, e.g.
 * the two buckets of a repeated DST hour): each id itself where its scale's cells
 * are kept, else its sub-buckets at {@link histogramSourceScale}.
 *
 * @internal
 * @throws InvalidTimespanError when an id's scale has no kept cells as fine.
 */
export function histogramCellBuckets(metrica: string, ids: readonly string[], stored: ReadonlySet<Scale>, timeZone: string): string[] {
  const cells: string[] = [];
  for (const id of ids) {
    const scale = scaleOf(id);
    if (scale === null || stored.has(scale)) {
      cells.push(id);
      continue;
    }
    const source = histogramSourceScale(scale, stored);
    if (source === undefined) throw histogramNotKept(metrica, scale, stored);
    let level = [id];
    for (let at = SCALES.indexOf(scale); SCALES[at] !== source; at++) {
      level = level.flatMap((bucket) => subBuckets(bucket, SCALES[at], timeZone));
    }
    for (const bucket of level) cells.push(bucket);
  }
  return cells;
}

/**
 * At most how many cell buckets {@link histogramCellBuckets} gives for `ids`,
 * counted without building them: a read is refused on this before any work.
 *
 * @internal
 */
export function mostHistogramCellBuckets(ids: readonly string[], stored: ReadonlySet<Scale>): number {
  let most = 0;
  for (const id of ids) {
    const scale = scaleOf(id);
    const source = scale === null ? undefined : histogramSourceScale(scale, stored);
    let factor = 1;
    if (scale !== null && source !== undefined) for (let at = SCALES.indexOf(scale); SCALES[at] !== source; at++) factor *= MOST_SUB_BUCKETS[SCALES[at]];
    most += factor;
  }
  return most;
}

/**
 * Refuses a read of more than `maximum` cells (date buckets × histogram buckets;
 * default {@link MAX_HISTOGRAM_READ_CELLS}).
 *
 * @internal
 * @throws RangeTooLargeError
 */
export function checkHistogramReadSize(metrica: string, dateBuckets: number, width: number, maximum = MAX_HISTOGRAM_READ_CELLS): void {
  if (dateBuckets * width > maximum) {
    throw new RangeTooLargeError(`${metrica} histogram read`, 'histogram cells', maximum, dateBuckets * width);
  }
}
