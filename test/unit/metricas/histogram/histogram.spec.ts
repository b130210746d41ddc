import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { histogramBucketIndex, resolveHistogram } from '../../../../lib/metricas/definition/histogram-buckets.js';
import { SCALES } from '../../../../lib/metricas/definition/metrica-definition.js';
import { cumulativeBuckets, histogramQuantile } from '../../../../lib/metricas/reading/histogram-quantile.js';

const BOUNDS = [5, 10, 25, 50];

describe('histogram bucket assignment', () => {
  it('puts a value equal to a bound in that bound’s bucket, as Prometheus’ le', () => {
    expect(histogramBucketIndex(BOUNDS, 5)).toBe(0);
    expect(histogramBucketIndex(BOUNDS, 10)).toBe(1);
    expect(histogramBucketIndex(BOUNDS, 50)).toBe(3);
  });

  it('puts a value just above a bound in the next bucket, and above the last in the +Inf bucket', () => {
    expect(histogramBucketIndex(BOUNDS, 5.000001)).toBe(1);
    expect(histogramBucketIndex(BOUNDS, 50.5)).toBe(4);
    expect(histogramBucketIndex(BOUNDS, 1e12)).toBe(4);
  });

  it('puts values at or below the first bound (negatives included) in the first bucket', () => {
    expect(histogramBucketIndex(BOUNDS, 0)).toBe(0);
    expect(histogramBucketIndex(BOUNDS, -3)).toBe(0);
  });

  it('agrees with a linear scan for any bounds and value', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: -100, max: 100 }), { minLength: 1, maxLength: 12 }), fc.double({ min: -150, max: 150, noNaN: true }), (raw, value) => {
        const bounds = [...raw].sort((a, b) => a - b);
        const scan = bounds.findIndex((bound) => value <= bound);
        expect(histogramBucketIndex(bounds, value)).toBe(scan === -1 ? bounds.length : scan);
      }),
    );
  });
});

describe('histogram buckets validation', () => {
  it.each([
    ['empty', { buckets: [] }, /non-empty/],
    ['not ascending', { buckets: [5, 5, 10] }, /strictly ascending/],
    ['descending', { buckets: [10, 5] }, /strictly ascending/],
    ['not finite', { buckets: [5, Infinity] }, /finite/],
    ['NaN', { buckets: [Number.NaN] }, /finite/],
    ['not numbers', { buckets: ['5'] }, /finite/],
    ['no object', [5, 10], /object/],
    ['unknown key', { buckets: [1], le: 2 }, /histogram\.le/],
  ])('refuses %s buckets', (_label, histogram, problem) => {
    const resolved = resolveHistogram(histogram, SCALES);
    expect('problem' in resolved && resolved.problem).toMatch(problem);
  });

  it('accepts ascending finite bounds', () => {
    expect(resolveHistogram({ buckets: [-1, 0.5, 3] }, SCALES)).toEqual({ bounds: [-1, 0.5, 3], scales: ['day', 'hour'] });
  });
});

/** Per-bucket counts of `samples`. */
function countsOf(bounds: number[], samples: number[]): number[] {
  const counts = new Array<number>(bounds.length + 1).fill(0);
  for (const sample of samples) counts[histogramBucketIndex(bounds, sample)] += 1;
  return counts;
}

describe('histogramQuantile', () => {
  it('interpolates linearly within the bucket, as histogram_quantile', () => {
    // 10 events in (0, 5], 10 in (5, 10]: the median is the top of the first bucket,
    // p75 half way through the second.
    expect(histogramQuantile(0.5, [5, 10], [10, 10, 0])).toBe(5);
    expect(histogramQuantile(0.75, [5, 10], [10, 10, 0])).toBe(7.5);
    expect(histogramQuantile(0.1, [5, 10], [10, 10, 0])).toBe(1);
  });

  it('gives the last bound for a quantile above it, and null without events', () => {
    expect(histogramQuantile(0.99, [5, 10], [1, 0, 9])).toBe(10);
    expect(histogramQuantile(0.5, [5, 10], [0, 0, 0])).toBeNull();
  });

  it('lands within the bounds of the bucket holding the brute-force quantile (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.double({ min: 0, max: 1200, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        (raw, samples, q) => {
          const bounds = [...raw].sort((a, b) => a - b);
          const sorted = [...samples].sort((a, b) => a - b);
          // The brute-force quantile: the event of rank ceil(q × n).
          const truth = sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
          const index = histogramBucketIndex(bounds, truth);
          const estimate = histogramQuantile(q, bounds, countsOf(bounds, samples))!;
          if (index === bounds.length) {
            expect(estimate).toBe(bounds[bounds.length - 1]);
          } else {
            const lower = index === 0 ? 0 : bounds[index - 1];
            expect(estimate).toBeGreaterThanOrEqual(lower);
            expect(estimate).toBeLessThanOrEqual(bounds[index]);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives cumulative [le, count] pairs ending with +Inf', () => {
    expect(cumulativeBuckets([5, 10], [2, 0, 3])).toEqual([[5, 2], [10, 2], [Infinity, 5]]);
  });
});
