import { describeValue } from '../../errors/describe-value.js';
import type { Scale } from './metrica-definition.interface.js';

/** Most upper bounds a histogram may have: each is read back by every percentile query. @internal */
export const MAX_HISTOGRAM_BUCKETS = 64;

/**
 * The date scales a histogram keeps bucket cells at by default (besides all-time,
 * always kept): what the Prometheus endpoint (all-time) and the dashboard (days,
 * hours) read. Each scale kept costs one cell per axis combination per kick, and
 * cells split by bucket index coalesce less than counters, so coarser scales
 * (month, year) are summed from the days instead of kept.
 *
 * @internal
 */
export const DEFAULT_HISTOGRAM_SCALES: readonly Scale[] = Object.freeze(['day', 'hour']);

/** A definition's `histogram` once checked. @internal */
export interface ResolvedHistogram {
  /** Ascending upper bounds. */
  readonly bounds: readonly number[];
  /** The date scales bucket cells are kept at (all-time always), coarsest first. */
  readonly scales: readonly Scale[];
}

/**
 * Checks a definition's `histogram` and returns its upper bounds and the scales
 * its cells are kept at, or the problem (for `InvalidMetricaDefinitionError`):
 * bounds must be finite numbers, strictly ascending, 1 to
 * {@link MAX_HISTOGRAM_BUCKETS} of them; `scales` must be scales the metrica
 * keeps (default {@link DEFAULT_HISTOGRAM_SCALES}, those of them it keeps; a
 * metrica keeping neither keeps its histogram at its finest scale coarser than a
 * day, else at its minutes).
 *
 * @param kept the metrica's scales, coarsest first.
 * @internal
 */
export function resolveHistogram(histogram: unknown, kept: readonly Scale[]): ResolvedHistogram | { problem: string } {
  if (typeof histogram !== 'object' || histogram === null || Array.isArray(histogram)) {
    return { problem: `\`histogram\` is an object { buckets: [5, 10, 25, …], scales? }, received ${describeValue(histogram)}.` };
  }
  const extra = Object.keys(histogram).filter((key) => key !== 'buckets' && key !== 'scales');
  if (extra.length > 0) return { problem: `unknown property \`histogram.${extra[0]}\`; allowed are buckets, scales.` };
  const { buckets, scales } = histogram as { buckets?: unknown; scales?: unknown };
  if (!Array.isArray(buckets) || buckets.length === 0 || buckets.length > MAX_HISTOGRAM_BUCKETS) {
    return {
      problem: `\`histogram.buckets\` is a non-empty array of at most ${MAX_HISTOGRAM_BUCKETS} ascending upper bounds, received ${describeValue(buckets)}.`,
    };
  }
  for (let index = 0; index < buckets.length; index++) {
    const bound: unknown = buckets[index];
    if (typeof bound !== 'number' || !Number.isFinite(bound)) {
      return { problem: `\`histogram.buckets[${index}]\` must be a finite number (values above the last bound are counted anyway), received ${describeValue(bound)}.` };
    }
    if (index > 0 && !(bound > (buckets[index - 1] as number))) {
      return { problem: `\`histogram.buckets\` must be strictly ascending: ${describeValue(bound)} at index ${index} follows ${describeValue(buckets[index - 1])}.` };
    }
  }
  const resolvedScales = resolveHistogramScales(scales, kept);
  if ('problem' in resolvedScales) return resolvedScales;
  return Object.freeze({ bounds: Object.freeze([...(buckets as number[])]), scales: resolvedScales.scales });
}

function resolveHistogramScales(scales: unknown, kept: readonly Scale[]): { scales: readonly Scale[] } | { problem: string } {
  if (scales === undefined) {
    const defaults = kept.filter((scale) => DEFAULT_HISTOGRAM_SCALES.includes(scale));
    if (defaults.length > 0 || kept.length === 0) return { scales: Object.freeze(defaults) };
    // Neither day nor hour: the finest kept scale above them (so coarser ones sum few cells), else the minute.
    const coarse = kept.filter((scale) => scale === 'year' || scale === 'month');
    return { scales: Object.freeze([coarse.length > 0 ? coarse[coarse.length - 1] : kept[kept.length - 1]]) };
  }
  const keeps = kept.length > 0 ? kept.join(', ') : 'no date scale (all-time only)';
  if (!Array.isArray(scales)) {
    return { problem: `\`histogram.scales\` is an array of scales the metrica keeps (${keeps}), received ${describeValue(scales)}.` };
  }
  const given = new Set<Scale>();
  for (const scale of scales as unknown[]) {
    if (!kept.includes(scale as Scale)) {
      return { problem: `\`histogram.scales\` lists ${describeValue(scale)}, which the metrica does not keep; it keeps ${keeps}.` };
    }
    if (given.has(scale as Scale)) return { problem: `scale ${describeValue(scale)} is listed twice in \`histogram.scales\`.` };
    given.add(scale as Scale);
  }
  return { scales: Object.freeze(kept.filter((scale) => given.has(scale))) };
}

/**
 * The index of the bucket `value` is counted in: the first bound it does not
 * exceed (a value equal to a bound is in that bound's bucket, as Prometheus' `le`),
 * or `bounds.length` (the +Inf bucket) above the last.
 *
 * @internal
 */
export function histogramBucketIndex(bounds: readonly number[], value: number): number {
  let low = 0;
  let high = bounds.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (value <= bounds[middle]) high = middle;
    else low = middle + 1;
  }
  return low;
}
