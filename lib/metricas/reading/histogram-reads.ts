import type { CounterCell, CounterTemplate, MemberAffix, SouvenirsStore } from '../../store/souvenirs-store.interface.js';
import type { MemberPoints } from './member-points.js';
import { MetricaKeys } from '../definition/metrica-keys.js';
import type { Point } from './metrica-points.js';

/**
 * Histogram reads: each point's events per histogram bucket (not cumulative,
 * `bounds.length + 1` entries, the last above the last bound), summed over the
 * point's date buckets, in ONE store call, as the other queries read.
 */

/** The events per histogram bucket of each point, in one `readCounters` call. @internal */
export async function readHistogramPoints(
  keys: MetricaKeys,
  store: SouvenirsStore,
  points: readonly Point<unknown>[],
  bounds: readonly number[],
): Promise<number[][]> {
  const width = bounds.length + 1;
  const cells: CounterCell[] = [];
  for (const { buckets, field } of points) {
    for (const bucket of buckets) {
      const key = keys.histogram(bucket);
      for (let index = 0; index < width; index++) cells.push({ key, field: MetricaKeys.histogramField(field, index) });
    }
  }
  const raw = cells.length > 0 ? await store.readCounters(cells) : [];
  let at = 0;
  return points.map(({ buckets }) => {
    const counts = new Array<number>(width).fill(0);
    for (let bucket = 0; bucket < buckets.length; bucket++) {
      for (let index = 0; index < width; index++) counts[index] += raw[at++];
    }
    return counts;
  });
}

/**
 * The members of a stored set with their events per histogram bucket, in one
 * `readCountersOfMembers` call (plus one for members the library never writes
 * itself, as {@link readMemberPoints}), sorted by `query.compare`.
 *
 * @internal
 */
export async function readHistogramMembers<K>(
  keys: MetricaKeys,
  store: SouvenirsStore,
  query: MemberPoints<K>,
  bounds: readonly number[],
): Promise<Array<{ key: K; counts: number[] }>> {
  const width = bounds.length + 1;
  const templates: CounterTemplate[] = [];
  for (const bucket of query.buckets) {
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
  members.forEach((member, row) => {
    const point = query.pointOf(member);
    if (!point) return;
    const counts = new Array<number>(width).fill(0);
    for (const bucket of point.buckets) {
      for (let index = 0; index < width; index++) counts[index] += counters[row][bucket * width + index];
    }
    const entry = { key: point.key, counts };
    listed.push(entry);
    if (point.extra && point.extra.buckets.length > 0) extras.push({ listed: entry, point: { key: point.key, ...point.extra } });
  });
  if (extras.length > 0) {
    const more = await readHistogramPoints(keys, store, extras.map(({ point }) => point), bounds);
    extras.forEach(({ listed: entry }, at) => more[at].forEach((count, index) => (entry.counts[index] += count)));
  }
  return listed.sort((a, b) => query.compare(a.key, b.key));
}
