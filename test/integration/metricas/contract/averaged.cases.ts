import { describe, expect, it } from '@jest/globals';
import { UnsupportedMetricaQueryError } from '../../../../lib/errors/index.js';
import { Axis } from '../../../../lib/metricas/axes/axis.js';
import type { ContractContext } from './harness.js';

/** Averaged metricas: counts, averages, and the staste README example. */
export function averagedCases(ctx: ContractContext): void {
  describe('averaged metricas', () => {
    async function readmeMetrica() {
      const registry = await ctx.registry();
      const metrica = registry.define({
        name: 'some_averaged_metrica',
        axes: { c: new Axis({ choices: ['a', 'b'] }) },
        averaged: true,
        multiplier: 100,
      });
      const d1 = new Date('2010-02-07T00:00:00Z');
      const d2 = new Date('2010-02-08T00:00:00Z');
      const d3 = new Date('2010-02-09T00:00:00Z');
      await metrica.kick({ c: 'a' }, { date: d1, value: 12 });
      await metrica.kick({ c: 'b' }, { date: d1, value: 2 });
      await metrica.kick({ c: 'a' }, { date: d2, value: 7.5 });
      await metrica.kick({ c: 'a' }, { date: d2, value: 0.16 });
      await metrica.kick({ c: 'b' }, { date: d3 });
      return metrica;
    }

    it('gives the staste README counts and averages, per day and per axis value', async () => {
      const metrica = await readmeMetrica();
      const february = metrica.timespan({ year: 2010, month: 2 });
      expect((await february.iterateCounts()).slice(5, 10)).toEqual([[6, 0], [7, 2], [8, 2], [9, 1], [10, 0]]);
      expect((await february.iterateAverages()).slice(5, 10)).toEqual([[6, null], [7, 7], [8, 3.83], [9, 1], [10, null]]);
      expect(await metrica.filter({}).iterateCounts('c')).toEqual([['a', 3], ['b', 2]]);
      expect(await metrica.filter({}).iterateAverages('c')).toEqual([['a', (12 + 7.5 + 0.16) / 3], ['b', 1.5]]);
    });

    it('answers count(), average() and total() for any timespan and filter, null without events', async () => {
      const metrica = await readmeMetrica();
      expect(await metrica.count()).toBe(5);
      expect(await metrica.total()).toBeCloseTo(22.66, 10);
      expect(await metrica.average()).toBeCloseTo(22.66 / 5, 10);
      expect(await metrica.filter({ c: 'b' }).average()).toBe(1.5);
      expect(await metrica.timespan({ year: 2010, month: 2, day: 8 }).count()).toBe(2);
      expect(await metrica.timespan({ year: 2010, month: 3 }).count()).toBe(0);
      expect(await metrica.timespan({ year: 2010, month: 3 }).average()).toBeNull();
      expect(await metrica.filter({ c: 'a' }).iterateCounts()).toEqual([[2010, 3]]);
    });

    it('gives time series of counts and averages', async () => {
      const metrica = await readmeMetrica();
      const since = new Date('2010-02-06T00:00:00Z');
      const until = new Date('2010-02-10T00:00:00Z');
      const day = (n: number) => new Date(Date.UTC(2010, 1, n));
      expect(await metrica.values().timeserieCounts(since, until, 'day')).toEqual([[day(6), 0], [day(7), 2], [day(8), 2], [day(9), 1]]);
      expect(await metrica.values().timeserieCountsAndAverages(since, until, 'day')).toEqual([
        [day(6), 0, null],
        [day(7), 2, 7],
        [day(8), 2, 3.83],
        [day(9), 1, 1],
      ]);
      expect(await metrica.filter({ c: 'a' }).timeserie(since, until, 'day')).toEqual([[day(6), 0], [day(7), 12], [day(8), 7.66], [day(9), 0]]);
    });

    it('refuses count queries on a metrica that keeps no counts', async () => {
      const registry = await ctx.registry();
      const plain = registry.define({ name: 'not_averaged' });
      const count = plain.count();
      await expect(count).rejects.toThrow(UnsupportedMetricaQueryError);
      await expect(count).rejects.toMatchObject({ metrica: 'not_averaged', requires: 'averaged' });
      await expect(plain.values().iterateAverages()).rejects.toThrow(/keeps no event counts, so it cannot answer iterateAverages\(\)/);
    });
  });
}
