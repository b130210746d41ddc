import { describeValue } from '../../errors/describe-value.js';

/** Most upper bounds a histogram may have: each is read back by every percentile query. @internal */
export const MAX_HISTOGRAM_BUCKETS = 64;

/**
 * Checks a definition's `histogram` and returns its upper bounds, or the problem
 * (for `InvalidMetricaDefinitionError`): bounds must be finite numbers, strictly
 * ascending, 1 to {@link MAX_HISTOGRAM_BUCKETS} of them.
 *
 * @internal
 */
export function resolveHistogramBuckets(histogram: unknown): { bounds: readonly number[] } | { problem: string } {
  if (typeof histogram !== 'object' || histogram === null || Array.isArray(histogram)) {
    return { problem: `\`histogram\` is an object { buckets: [5, 10, 25, …] }, received ${describeValue(histogram)}.` };
  }
  const extra = Object.keys(histogram).filter((key) => key !== 'buckets');
  if (extra.length > 0) return { problem: `unknown property \`histogram.${extra[0]}\`; allowed is buckets.` };
  const { buckets } = histogram as { buckets?: unknown };
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
  return { bounds: Object.freeze([...(buckets as number[])]) };
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
