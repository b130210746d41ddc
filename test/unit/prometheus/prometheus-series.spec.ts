import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { capSeries, seriesRows, type SeriesRow } from '../../../lib/prometheus/prometheus-series.js';

const row = (label: string, count: number, sum = count * 10): SeriesRow => ({ labels: [label, 'x'], sum, count, buckets: [count, 0] });

describe('the series cap', () => {
  it('keeps every row up to maxSeries', () => {
    const rows = [row('a', 1), row('b', 2)];
    expect(capSeries(rows, 2)).toEqual({ rows, folded: 0 });
  });

  it('keeps the busiest maxSeries - 1 rows and sums the rest into one __other__ row', () => {
    const { rows, folded } = capSeries([row('a', 1), row('b', 5), row('c', 3), row('d', 2)], 3);
    expect(folded).toBe(2);
    expect(rows).toEqual([row('b', 5), row('c', 3), { labels: ['__other__', '__other__'], sum: 30, count: 3, buckets: [3, 0] }]);
  });

  it('never exceeds maxSeries and never loses an event (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 30 }), (counts, maxSeries) => {
        const rows = counts.map((count, index) => row(`v${index}`, count));
        const capped = capSeries(rows, maxSeries);
        expect(capped.rows.length).toBeLessThanOrEqual(maxSeries);
        const total = (list: SeriesRow[]) => list.reduce((sum, { count }) => sum + count, 0);
        expect(total(capped.rows)).toBe(total(rows));
        expect(capped.folded).toBe(rows.length > maxSeries ? rows.length - maxSeries + 1 : 0);
      }),
    );
  });

  it('merges combinations that render to the same labels, and scales sums to the exported unit', async () => {
    const rows = await seriesRows(
      [
        { values: [18], sum: 100, count: 1, buckets: [1, 0] },
        { values: ['18'], sum: 300, count: 2, buckets: [0, 2] },
        { values: [null], sum: 5, count: 1, buckets: [1, 0] },
      ],
      1 / 1000,
    );
    expect(rows).toEqual([
      { labels: ['18'], sum: 0.4, count: 3, buckets: [1, 2] },
      { labels: [''], sum: 0.005, count: 1, buckets: [1, 0] },
    ]);
  });

  it('keeps combinations apart whatever their values hold, a NUL included', async () => {
    const rows = await seriesRows(
      [
        { values: ['a\u0000', 'b'], sum: 1, count: 1, buckets: [] },
        { values: ['a', '\u0000b'], sum: 2, count: 1, buckets: [] },
      ],
      1,
    );
    expect(rows.map(({ labels, sum }) => [labels, sum])).toEqual([
      [['a\u0000', 'b'], 1],
      [['a', '\u0000b'], 2],
    ]);
  });
});
