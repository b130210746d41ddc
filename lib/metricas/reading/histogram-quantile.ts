/**
 * Estimates the `q` quantile of the events counted in a histogram, as Prometheus'
 * `histogram_quantile` does: find the bucket holding the event of rank `q × total`
 * and interpolate linearly between its lower and upper bound (the first bucket's
 * lower bound is 0 when its upper bound is positive). An event above the last
 * bound gives the last bound.
 *
 * How far off: the estimate lies within the bucket holding the true quantile, so
 * it is off by at most that bucket's width (and, above the last bound, by however
 * far the events go beyond it). It is exact when events spread evenly in a bucket.
 *
 * @param bounds ascending upper bounds.
 * @param counts events per bucket (not cumulative): `bounds.length + 1` entries,
 *   the last one above the last bound.
 * @returns `null` when nothing was counted.
 * @internal
 */
export function histogramQuantile(q: number, bounds: readonly number[], counts: readonly number[]): number | null {
  let total = 0;
  for (const count of counts) total += count;
  if (total <= 0) return null;
  const rank = q * total;
  let below = 0;
  for (let index = 0; index < counts.length; index++) {
    const inBucket = counts[index];
    if (inBucket > 0 && below + inBucket >= rank) {
      if (index === bounds.length) return bounds[bounds.length - 1];
      const upper = bounds[index];
      const lower = index === 0 ? (upper > 0 ? 0 : upper) : bounds[index - 1];
      if (index === 0 && upper <= 0) return upper;
      return lower + (upper - lower) * ((rank - below) / inBucket);
    }
    below += inBucket;
  }
  return bounds[bounds.length - 1];
}

/** Per-bucket counts → cumulative `[le, count]` pairs, the last one `le: Infinity`. @internal */
export function cumulativeBuckets(bounds: readonly number[], counts: readonly number[]): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  let running = 0;
  for (let index = 0; index <= bounds.length; index++) {
    running += counts[index] ?? 0;
    pairs.push([index < bounds.length ? bounds[index] : Infinity, running]);
  }
  return pairs;
}
