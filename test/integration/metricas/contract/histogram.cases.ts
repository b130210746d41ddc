import { describe, expect, it } from '@jest/globals';
import { InvalidMetricaDefinitionError, InvalidQuantileError, UnsupportedMetricaQueryError } from '../../../../lib/errors/index.js';
import { Axis } from '../../../../lib/metricas/axes/axis.js';
import { StoredChoiceAxis } from '../../../../lib/metricas/axes/stored-choice-axis.js';
import type { ContractContext } from './harness.js';

const BOUNDS = [10, 20, 50, 100];

/** Histogram metricas: bucket counts, percentiles per axis value and over time. */
export function histogramCases(ctx: ContractContext): void {
  describe('histogram metricas', () => {
    async function latency() {
      const registry = await ctx.registry();
      const metrica = registry.define({
        name: 'latency',
        averaged: true,
        histogram: { buckets: BOUNDS },
        axes: { route: new StoredChoiceAxis(), status: new Axis({ choices: ['2xx', '5xx'] }) },
      });
      const day1 = new Date('2020-03-01T10:00:00Z');
      const day2 = new Date('2020-03-02T10:00:00Z');
      // route a: 10 fast (≤ 10), 10 in (10, 20]; route b: 4 at 100 exactly, 1 above every bound.
      for (let n = 1; n <= 10; n++) await metrica.kick({ route: 'a', status: '2xx' }, { value: n, date: day1 });
      for (let n = 11; n <= 20; n++) await metrica.kick({ route: 'a', status: '2xx' }, { value: n, date: day2 });
      for (let n = 0; n < 4; n++) await metrica.kick({ route: 'b', status: '5xx' }, { value: 100, date: day2 });
      await metrica.kick({ route: 'b', status: '5xx' }, { value: 5000, date: day2 });
      return metrica;
    }

    it('keeps cumulative buckets per filter and timespan, a value equal to a bound in that bound', async () => {
      const metrica = await latency();
      expect(await metrica.values().buckets()).toEqual([[10, 10], [20, 20], [50, 20], [100, 24], [Infinity, 25]]);
      expect(await metrica.filter({ route: 'b' }).buckets()).toEqual([[10, 0], [20, 0], [50, 0], [100, 4], [Infinity, 5]]);
      expect(await metrica.timespan({ year: 2020, month: 3, day: 1 }).buckets()).toEqual([[10, 10], [20, 10], [50, 10], [100, 10], [Infinity, 10]]);
      // The histogram counts what count() counts.
      expect(await metrica.count()).toBe(25);
    });

    it('gives percentile() from the cumulative buckets written, interpolated as histogram_quantile', async () => {
      const metrica = await latency();
      const a = metrica.filter({ route: 'a' });
      // 20 events of route a: 10 in (0, 10], 10 in (10, 20].
      expect(await a.percentile(0.5)).toBe(10);
      expect(await a.percentile(0.75)).toBe(15);
      expect(await a.percentile(0.25)).toBe(5);
      // Above the last bound: the last bound.
      expect(await metrica.filter({ route: 'b' }).percentile(0.99)).toBe(100);
      expect(await metrica.filter({ route: 'b' }).percentile(0.5)).toBe(50 + 50 * (2.5 / 4));
      expect(await metrica.filter({ route: 'nowhere' }).percentile(0.5)).toBeNull();
    });

    it('iterates percentiles per stored choice, per fixed choice and per date', async () => {
      const metrica = await latency();
      expect(await metrica.values().iteratePercentiles('route', [0.5, 0.75])).toEqual([['a', [10, 15]], ['b', [50 + 50 * (2.5 / 4), 50 + 50 * (3.75 / 4)]]]);
      expect(await metrica.values().iteratePercentiles('status', [0.5])).toEqual([['2xx', [10]], ['5xx', [50 + 50 * (2.5 / 4)]]]);
      const march = await metrica.timespan({ year: 2020, month: 3 }).iteratePercentiles(undefined, [0.5]);
      expect(march.slice(0, 3)).toEqual([[1, [5]], [2, [17.5]], [3, [null]]]);
      expect(await metrica.filter({ route: 'a' }).iteratePercentiles(undefined, [0.5])).toEqual([[2020, [10]]]);
    });

    it('gives a time series of percentiles', async () => {
      const metrica = await latency();
      const series = await metrica.filter({ route: 'a' }).timeseriePercentiles(new Date('2020-03-01T00:00:00Z'), new Date('2020-03-03T00:00:00Z'), [0.5, 0.9], 'day');
      expect(series).toEqual([
        [new Date('2020-03-01T00:00:00Z'), [5, 9]],
        [new Date('2020-03-02T00:00:00Z'), [15, 19]],
      ]);
    });

    it('refuses q outside (0, 1), metricas without a histogram, and bad buckets', async () => {
      const metrica = await latency();
      for (const q of [0, 1, -0.5, 1.5, Number.NaN]) await expect(metrica.values().percentile(q)).rejects.toThrow(InvalidQuantileError);
      await expect(metrica.values().iteratePercentiles('route', [0.5, 2])).rejects.toThrow(InvalidQuantileError);
      const registry = await ctx.registry();
      const plain = registry.define({ name: 'plain' });
      const percentile = plain.values().percentile(0.5);
      await expect(percentile).rejects.toThrow(UnsupportedMetricaQueryError);
      await expect(percentile).rejects.toMatchObject({ metrica: 'plain', requires: 'histogram' });
      expect(() => registry.define({ name: 'bad1', histogram: { buckets: [] } })).toThrow(InvalidMetricaDefinitionError);
      expect(() => registry.define({ name: 'bad2', histogram: { buckets: [2, 1] } })).toThrow(/strictly ascending/);
      expect(() => registry.define({ name: 'bad3', histogram: { buckets: [1, Number.POSITIVE_INFINITY] } })).toThrow(/finite/);
    });
  });
}
