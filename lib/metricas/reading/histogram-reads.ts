import type { CounterCell, CounterTemplate, MemberAffix, SouvenirsStore } from '../../store/souvenirs-store.interface.js';
import type { Scale } from '../definition/metrica-definition.interface.js';
import { MAX_HISTOGRAM_MEMBER_CELLS, checkHistogramReadSize, histogramCellBuckets, mostHistogramCellBuckets } from '../definition/histogram-cell-buckets.js';
import type { MemberPoints } from './member-points.js';
import { MetricaKeys } from '../definition/metrica-keys.js';
import type { Point } from './metrica-points.js';
import { addExactHistogramCounts, type ExactHistogramRequest } from './exact-histogram-sums.js';

/**
 * Histogram reads: each point's events per histogram bucket (not cumulative,
 * `bounds.length + 1` entries, the last above the last bound), summed over the
 * point's date buckets. A date bucket whose scale keeps no histogram cells is
 * read as the sum of its finer buckets that do (see `histogram-cell-buckets.ts`).
 * A point's counts are its cells in the hashes earlier versions wrote for every
 * combination (read in ONE store call, as the other queries read) plus the exact
 * combinations it covers (one read per date bucket, see `exact-histogram-sums.ts`):
 * a kick is in one or the other, never both.
 */

/** What a histogram read needs of its metrica. @internal */
export interface HistogramLayout {
  readonly metrica: string;
  readonly keys: MetricaKeys;
  readonly store: SouvenirsStore;
  /** Ascending upper bounds. */
  readonly bounds: readonly number[];
  /** The scales whose cells are kept (all-time always). */
  readonly stored: ReadonlySet<Scale>;
  readonly timeZone: string;
}

/** The events per histogram bucket of each point, in one `readCounters` call. @internal */
export async function readHistogramPoints(layout: HistogramLayout, points: readonly Point<unknown>[]): Promise<number[][]> {
  const { keys, store, bounds } = layout;
  const width = bounds.length + 1;
  checkHistogramReadSize(layout.metrica, points.reduce((total, { buckets }) => total + mostHistogramCellBuckets(buckets, layout.stored), 0), width);
  const pointBuckets = points.map(({ buckets }) => histogramCellBuckets(layout.metrica, buckets, layout.stored, layout.timeZone));
  const cells: CounterCell[] = [];
  points.forEach(({ field }, point) => {
    for (const bucket of pointBuckets[point]) {
      const key = keys.histogram(bucket);
      for (let index = 0; index < width; index++) cells.push({ key, field: MetricaKeys.histogramField(field, index) });
    }
  });
  const raw = cells.length > 0 ? await store.readCounters(cells) : [];
  let at = 0;
  const answers = pointBuckets.map((buckets) => {
    const counts = new Array<number>(width).fill(0);
    for (let bucket = 0; bucket < buckets.length; bucket++) {
      for (let index = 0; index < width; index++) counts[index] += raw[at++];
    }
    return counts;
  });
  await addExactHistogramCounts(keys, store, width, points.map(({ field }, point) => ({ field, buckets: pointBuckets[point], counts: answers[point] })));
  return answers;
}

/**
 * The members of a stored set with their events per histogram bucket, in one
 * `readCountersOfMembers` call (plus one for members the library never writes
 * itself, as {@link readMemberPoints}), sorted by `query.compare`. The query's
 * fixed date buckets are read through their kept cells; a bucket given as an
 * affix (a year named by the member) must keep cells of its own.
 *
 * @internal
 */
export async function readHistogramMembers<K>(layout: HistogramLayout, query: MemberPoints<K>): Promise<Array<{ key: K; counts: number[] }>> {
  const { keys, store, bounds } = layout;
  const width = bounds.length + 1;
  const fixed = query.buckets.filter((bucket): bucket is string => typeof bucket === 'string');
  checkHistogramReadSize(layout.metrica, mostHistogramCellBuckets(fixed, layout.stored) + query.buckets.length - fixed.length, width, MAX_HISTOGRAM_MEMBER_CELLS);
  // Each of the query's buckets → the cell buckets it sums (itself, or its finer buckets).
  const expanded = query.buckets.map((bucket) =>
    typeof bucket === 'string' ? histogramCellBuckets(layout.metrica, [bucket], layout.stored, layout.timeZone) : [bucket],
  );
  const firstCell: number[] = [];
  const cellBuckets: Array<string | MemberAffix> = [];
  for (const buckets of expanded) {
    firstCell.push(cellBuckets.length);
    cellBuckets.push(...buckets);
  }
  const templates: CounterTemplate[] = [];
  for (const bucket of cellBuckets) {
    const key: string | MemberAffix =
      typeof bucket === 'string' ? keys.histogram(bucket) : { prefix: keys.histogram(bucket.prefix), suffix: bucket.suffix };
    for (let index = 0; index < width; index++) {
      const field: string | MemberAffix =
        typeof query.field === 'string'
          ? MetricaKeys.histogramField(query.field, index)
          : { prefix: query.field.prefix, suffix: MetricaKeys.histogramField(query.field.suffix, index) };
      templates.push({ key, field });
    }
  }
  const { members, counters } = await store.readCountersOfMembers(query.set, templates);
  const listed: Array<{ key: K; counts: number[] }> = [];
  const extras: Array<{ listed: { key: K; counts: number[] }; point: Point<K> }> = [];
  const exact: ExactHistogramRequest[] = [];
  members.forEach((member, row) => {
    const point = query.pointOf(member);
    if (!point) return;
    const counts = new Array<number>(width).fill(0);
    const buckets: string[] = [];
    for (const bucket of point.buckets) {
      for (let cell = firstCell[bucket]; cell < firstCell[bucket] + expanded[bucket].length; cell++) {
        for (let index = 0; index < width; index++) counts[index] += counters[row][cell * width + index];
        const named = cellBuckets[cell];
        buckets.push(typeof named === 'string' ? named : named.prefix + member + named.suffix);
      }
    }
    const field = typeof query.field === 'string' ? query.field : query.field.prefix + member + query.field.suffix;
    exact.push({ field, buckets, counts });
    const entry = { key: point.key, counts };
    listed.push(entry);
    if (point.extra && point.extra.buckets.length > 0) extras.push({ listed: entry, point: { key: point.key, ...point.extra } });
  });
  await addExactHistogramCounts(keys, store, width, exact);
  if (extras.length > 0) {
    const more = await readHistogramPoints(layout, extras.map(({ point }) => point));
    extras.forEach(({ listed: entry }, at) => more[at].forEach((count, index) => (entry.counts[index] += count)));
  }
  return listed.sort((a, b) => query.compare(a.key, b.key));
}
