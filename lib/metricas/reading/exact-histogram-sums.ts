import type { SouvenirsStore } from '../../store/souvenirs-store.interface.js';
import { splitField, tokenCovers } from '../axes/axis-encoding.js';
import { MetricaKeys } from '../definition/metrica-keys.js';

/**
 * A kick counts in its histogram bucket under its exact combination only (see
 * `kick-planner.ts`): the counts of any other combination — an axis at "all", a
 * hierarchical path's parent — are the sum of the exact combinations it covers,
 * summed here from the date bucket's whole exact-combination hash.
 *
 * What a read costs: one `readHash` per distinct date bucket (sent together),
 * each answering (exact combinations kicked in that bucket) × (bounds + 1)
 * fields at most, bounded by the product of the axes' cardinalities (their
 * choices, `maxChoices`, a hierarchical axis' `maxChildren` per level), and
 * every wanted combination is compared with each exact one of its buckets.
 */

/** One wanted combination: its field, the date buckets it sums, the counts it adds to. @internal */
export interface ExactHistogramRequest {
  readonly field: string;
  readonly buckets: readonly string[];
  /** Events per histogram bucket (`bounds + 1` entries), added to. */
  readonly counts: number[];
}

/** Adds to each request's counts the exact combinations its field covers, in its date buckets. @internal */
export async function addExactHistogramCounts(keys: MetricaKeys, store: SouvenirsStore, width: number, requests: readonly ExactHistogramRequest[]): Promise<void> {
  const byBucket = new Map<string, ExactHistogramRequest[]>();
  for (const request of requests) {
    for (const bucket of request.buckets) {
      const wanting = byBucket.get(bucket);
      if (wanting) wanting.push(request);
      else byBucket.set(bucket, [request]);
    }
  }
  if (byBucket.size === 0) return;
  const hashes = await Promise.all([...byBucket.keys()].map((bucket) => store.readHash(keys.exactHistogram(bucket))));
  let at = 0;
  for (const wanting of byBucket.values()) {
    const exact = exactCombinations(hashes[at++], width);
    if (exact.length === 0) continue;
    for (const request of wanting) {
      const parts = splitField(request.field);
      for (const combination of exact) {
        if (!covers(parts, combination.parts)) continue;
        for (let index = 0; index < width; index++) request.counts[index] += combination.counts[index];
      }
    }
  }
}

/** A hash's fields `<combination>:<index>` grouped per exact combination. */
function exactCombinations(entries: ReadonlyArray<readonly [string, number]>, width: number): Array<{ parts: string[]; counts: number[] }> {
  const byField = new Map<string, number[]>();
  for (const [field, value] of entries) {
    const cell = MetricaKeys.histogramCell(field, width);
    if (!cell) continue;
    let counts = byField.get(cell.combination);
    if (!counts) byField.set(cell.combination, (counts = new Array<number>(width).fill(0)));
    counts[cell.index] += value;
  }
  return [...byField].map(([field, counts]) => ({ parts: splitField(field), counts }));
}

function covers(wanted: readonly string[], exact: readonly string[]): boolean {
  if (wanted.length !== exact.length) return false;
  for (let axis = 0; axis < wanted.length; axis++) if (!tokenCovers(wanted[axis], exact[axis])) return false;
  return true;
}
