import type { CounterTemplate, MemberAffix, SouvenirsStore } from '../../store/souvenirs-store.interface.js';
import { yearBucketId } from '../definition/metrica-buckets.js';
import type { MetricaKeys } from '../definition/metrica-keys.js';
import { readPoints, type Point } from './metrica-points.js';

/**
 * A query whose points are the members of a stored set (a `StoredChoiceAxis`'s
 * values, a hierarchical path's children, the years seen): the set and every
 * counter a member's point may sum are read in ONE `readCountersOfMembers` call.
 *
 * @internal
 */
export interface MemberPoints<K> {
  /** The stored set whose members are listed. */
  readonly set: string;
  /** The date buckets a member's counters may be in: a fixed bucket, or the member inside an affix. */
  readonly buckets: ReadonlyArray<string | MemberAffix>;
  /** The counter field of a member: fixed, or the member inside an affix. */
  readonly field: string | MemberAffix;
  /**
   * A member's point: its key in the answer and the indexes in `buckets` it sums,
   * plus `extra` buckets those templates cannot name (read in a second call,
   * only for members the library itself never writes); `undefined` skips it.
   */
  pointOf(member: string): MemberPoint<K> | undefined;
  /** The order of the answer (a stable sort of the members as the store lists them). */
  compare(a: K, b: K): number;
}

/** One member's point of a {@link MemberPoints} query. @internal */
export interface MemberPoint<K> {
  readonly key: K;
  readonly buckets: readonly number[];
  readonly extra?: { readonly buckets: readonly string[]; readonly field: string };
}

/** The raw (not yet divided by the multiplier) sums of one listed point. @internal */
export interface ListedSums<K> {
  readonly key: K;
  readonly value: number;
  readonly count: number;
}

/**
 * Lists the points of `query` with their values and/or counts (none: keys only),
 * sorted by `query.compare`.
 *
 * @internal
 */
export async function readMemberPoints<K>(
  keys: MetricaKeys,
  store: SouvenirsStore,
  query: MemberPoints<K>,
  values: boolean,
  counts: boolean,
): Promise<Array<ListedSums<K>>> {
  const templates: CounterTemplate[] = [];
  const keyOf = (bucket: string | MemberAffix, hashOf: (bucket: string) => string): string | MemberAffix =>
    typeof bucket === 'string' ? hashOf(bucket) : { prefix: hashOf(bucket.prefix), suffix: bucket.suffix };
  for (const bucket of query.buckets) {
    if (values) templates.push({ key: keyOf(bucket, (id) => keys.values(id)), field: query.field });
    if (counts) templates.push({ key: keyOf(bucket, (id) => keys.counts(id)), field: query.field });
  }
  const perBucket = (values ? 1 : 0) + (counts ? 1 : 0);
  const { members, counters } = await store.readCountersOfMembers(query.set, templates);
  const listed: Array<{ key: K; value: number; count: number; extra?: MemberPoint<K>['extra'] }> = [];
  members.forEach((member, index) => {
    const point = query.pointOf(member);
    if (!point) return;
    let [value, count] = [0, 0];
    for (const bucket of point.buckets) {
      const at = bucket * perBucket;
      if (values) value += counters[index][at];
      if (counts) count += counters[index][at + (values ? 1 : 0)];
    }
    listed.push({ key: point.key, value, count, extra: point.extra });
  });
  const extras = listed.filter((point) => point.extra && point.extra.buckets.length > 0);
  if (extras.length > 0 && perBucket > 0) {
    const points: Point<unknown>[] = extras.map(({ key, extra }) => ({ key, buckets: extra!.buckets, field: extra!.field }));
    const sums = await readPoints(keys, store, points, values, counts);
    extras.forEach((point, index) => {
      point.value += sums.values[index];
      point.count += sums.counts[index];
    });
  }
  return listed
    .map(({ key, value, count }) => ({ key, value, count }))
    .sort((a, b) => query.compare(a.key, b.key));
}

/**
 * The years seen (`iterate()` at the top level), each read from its year bucket
 * with `field`. A member is the year's decimal text and the bucket id pads it to
 * four digits, so the bucket is the member behind 0 to 3 zeros: one template
 * each. A member written otherwise (never by this library) costs a second read,
 * as does every year when `inline` is false (a histogram that keeps no year
 * cells sums each year from finer buckets, which no template can name).
 *
 * @internal
 */
export function yearPoints(keys: MetricaKeys, field: string, inline = true): MemberPoints<number> {
  const pads = inline ? ['', '0', '00', '000'] : [];
  return {
    set: keys.years(),
    buckets: pads.map((pad) => ({ prefix: pad, suffix: '' })),
    field,
    pointOf: (member) => {
      const year = Number(member);
      if (!Number.isSafeInteger(year)) return undefined;
      const bucket = yearBucketId(year);
      const pad = pads.findIndex((zeros) => zeros + member === bucket);
      return pad === -1 ? { key: year, buckets: [], extra: { buckets: [bucket], field } } : { key: year, buckets: [pad] };
    },
    compare: (a, b) => a - b,
  };
}
