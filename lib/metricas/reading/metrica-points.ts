import type { CounterCell, SouvenirsStore } from '../../store/souvenirs-store.interface.js';
import type { MetricaKeys } from '../definition/metrica-keys.js';

/** One number a query reads: its key in the answer, the date buckets it sums and the field. @internal */
export interface Point<K> {
  readonly key: K;
  readonly buckets: readonly string[];
  readonly field: string;
}

/** The raw (not yet divided by the multiplier) sums and counts of each point. @internal */
export interface PointSums {
  readonly values: number[];
  readonly counts: number[];
}

/**
 * Reads every point's buckets, values and/or counts, in ONE `readCounters` call,
 * and sums them per point (a point spans two buckets in a repeated DST hour).
 *
 * @internal
 */
export async function readPoints(
  keys: MetricaKeys,
  store: SouvenirsStore,
  points: readonly Point<unknown>[],
  values: boolean,
  counts: boolean,
): Promise<PointSums> {
  const cells: CounterCell[] = [];
  for (const { buckets, field } of points) {
    for (const bucket of buckets) {
      if (values) cells.push({ key: keys.values(bucket), field });
      if (counts) cells.push({ key: keys.counts(bucket), field });
    }
  }
  const raw = cells.length > 0 ? await store.readCounters(cells) : [];
  const sums = { values: new Array<number>(points.length).fill(0), counts: new Array<number>(points.length).fill(0) };
  let at = 0;
  points.forEach(({ buckets }, index) => {
    for (let bucket = 0; bucket < buckets.length; bucket++) {
      if (values) sums.values[index] += raw[at++];
      if (counts) sums.counts[index] += raw[at++];
    }
  });
  return sums;
}

/** Code-unit order, as stored choices are listed. @internal */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Hierarchical segments: numbers first, ascending; then strings in code-unit order. @internal */
export function compareSegments(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return compareText(a, b);
}
