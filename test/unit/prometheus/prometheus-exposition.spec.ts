import { describe, expect, it } from '@jest/globals';
import { expositionChunks, renderExposition, type PrometheusFamily } from '../../../lib/prometheus/prometheus-exposition.js';
import type { SeriesRow } from '../../../lib/prometheus/prometheus-series.js';

const histogram = (rows: SeriesRow[]): PrometheusFamily => ({
  name: 'souvenirs_latency',
  help: 'latency',
  type: 'histogram',
  labelNames: ['route'],
  bounds: [10, 100],
  rows,
});

const row = (route: string, buckets: number[], sum: number): SeriesRow => ({ labels: [route], sum, count: 0, buckets });

async function collect(families: PrometheusFamily[]): Promise<string[]> {
  const chunks: string[] = [];
  for await (const chunk of expositionChunks(families)) chunks.push(chunk);
  return chunks;
}

describe('the Prometheus exposition', () => {
  it('writes a histogram family exactly: cumulative buckets, +Inf, _sum and _count', async () => {
    const counter: PrometheusFamily = { name: 'souvenirs_orders', help: 'orders\nby plan', type: 'counter', labelNames: ['plan'], bounds: [], rows: [row('pro', [], 3)] };
    expect(await renderExposition([histogram([row('/a"b', [1, 2, 3], 1234.5)]), counter])).toBe(
      [
        '# HELP souvenirs_latency latency',
        '# TYPE souvenirs_latency histogram',
        'souvenirs_latency_bucket{route="/a\\"b",le="10"} 1',
        'souvenirs_latency_bucket{route="/a\\"b",le="100"} 3',
        'souvenirs_latency_bucket{route="/a\\"b",le="+Inf"} 6',
        'souvenirs_latency_sum{route="/a\\"b"} 1234.5',
        'souvenirs_latency_count{route="/a\\"b"} 6',
        '# HELP souvenirs_orders_total orders\\nby plan',
        '# TYPE souvenirs_orders_total counter',
        'souvenirs_orders_total{plan="pro"} 3',
        '',
      ].join('\n'),
    );
  });

  it('comes in several chunks of whole lines, which join to the same text as the same families rendered in one piece', async () => {
    // 3,000 series of 5 lines: 15,000 lines, far more than one chunk holds.
    const rows = Array.from({ length: 3000 }, (_, index) => row(`/r${index}`, [index % 3, 1, 0], index));
    const chunks = await collect([histogram(rows), histogram(rows.slice(0, 10))]);
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) expect(chunk.endsWith('\n')).toBe(true);
    const lines = chunks.join('').split('\n');
    expect(lines.length).toBe(2 + 3000 * 5 + 2 + 10 * 5 + 1);
    expect(lines[2 + 5 * 1234]).toBe('souvenirs_latency_bucket{route="/r1234",le="10"} 1');
    expect(lines.at(-2)).toBe('souvenirs_latency_count{route="/r9"} 1');
    // Each chunk is built from its own rows: rendering the rows of one chunk alone gives that chunk.
    const firstChunkRows = chunks[0].split('\n').filter((line) => line.startsWith('souvenirs_latency_count')).length;
    expect(chunks[0]).toBe(await renderExposition([histogram(rows.slice(0, firstChunkRows))]));
  });

  it('yields nothing for no families, and the header alone for a family without series', async () => {
    expect(await collect([])).toEqual([]);
    expect(await renderExposition([histogram([])])).toBe('# HELP souvenirs_latency latency\n# TYPE souvenirs_latency histogram\n');
  });
});
