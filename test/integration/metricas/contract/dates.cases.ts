import { describe, expect, it } from '@jest/globals';
import { InvalidTimespanError } from '../../../../lib/errors/index.js';
import { sleep, times, type ContractContext } from './harness.js';

const zeros = (from: number, to: number): Array<[number, number]> =>
  Array.from({ length: to - from + 1 }, (_, index) => [from + index, 0]);
const withCounts = (series: Array<[number, number]>, counts: Record<number, number>): Array<[number, number]> =>
  series.map(([key]) => [key, counts[key] ?? 0]);

/** Date scales: iteration, time series in a DST zone, expirations. */
export function datesCases(ctx: ContractContext): void {
  describe('date scales', () => {
    it('iterates the next date scale: years seen, months, days of the month, hours, minutes (zeros included)', async () => {
      const registry = await ctx.registry();
      const visits = registry.define({ name: 'visits_by_date' });
      const kick = (iso: string) => visits.kick(undefined, { date: new Date(iso) });
      await kick('2010-02-07T05:09:00Z');
      await times(2, () => kick('2010-02-07T05:10:59Z'));
      await kick('2010-02-08T00:00:00Z');
      await kick('2010-03-01T00:00:00Z');
      await kick('2011-01-01T00:00:00Z');
      await kick('2012-02-29T23:59:00Z');

      expect(await visits.values().iterate()).toEqual([[2010, 5], [2011, 1], [2012, 1]]);
      expect(await visits.timespan({ year: 2010 }).iterate()).toEqual(withCounts(zeros(1, 12), { 2: 4, 3: 1 }));
      expect(await visits.timespan({ year: 2010, month: 2 }).iterate()).toEqual(withCounts(zeros(1, 28), { 7: 3, 8: 1 }));
      expect(await visits.timespan({ year: 2012, month: 2 }).iterate()).toEqual(withCounts(zeros(1, 29), { 29: 1 }));
      expect(await visits.timespan({ year: 2010, month: 2, day: 7 }).iterate()).toEqual(withCounts(zeros(0, 23), { 5: 3 }));
      expect(await visits.timespan({ year: 2010, month: 2, day: 7, hour: 5 }).iterate()).toEqual(withCounts(zeros(0, 59), { 9: 1, 10: 2 }));
      await expect(visits.timespan({ year: 2010, month: 2, day: 7, hour: 5, minute: 9 }).iterate()).rejects.toThrow(InvalidTimespanError);
    });

    it('keeps only the scales asked for and refuses queries on the others', async () => {
      const registry = await ctx.registry();
      const coarse = registry.define({ name: 'coarse', scales: ['year', 'month'] });
      await coarse.kick(undefined, { date: new Date('2020-06-15T12:00:00Z') });
      expect(await coarse.timespan({ year: 2020, month: 6 }).total()).toBe(1);
      expect(() => coarse.timespan({ year: 2020, month: 6, day: 15 })).toThrow(/does not keep the `day` scale; it keeps year, month/);
      await expect(coarse.timespan({ year: 2020, month: 6 }).iterate()).rejects.toThrow(InvalidTimespanError);
      await expect(coarse.values().timeserie(new Date('2020-06-01'), new Date('2020-06-02'), 'hour')).rejects.toThrow(/does not keep the `hour` scale/);
      expect(await coarse.values().timeserie(new Date('2020-05-20T00:00:00Z'), new Date('2020-07-01T00:00:00Z'))).toEqual([
        [new Date('2020-05-01T00:00:00Z'), 0],
        [new Date('2020-06-01T00:00:00Z'), 1],
      ]);
    });

    describe('in a DST zone (America/New_York)', () => {
      async function newYorkVisits() {
        const registry = await ctx.registry({ timeZone: 'America/New_York' });
        const visits = registry.define({ name: 'ny_visits' });
        const kick = (iso: string) => visits.kick(undefined, { date: new Date(iso) });
        await kick('2021-01-20T12:00:00Z');
        await kick('2021-02-10T12:00:00Z');
        await times(2, () => kick('2021-03-20T12:00:00Z'));
        await kick('2021-03-14T04:30:00Z'); // Mar 13, 23:30 EST
        await kick('2021-03-14T07:30:00Z'); // Mar 14, 03:30 EDT (02:00-03:00 does not exist)
        await kick('2021-11-07T05:30:00Z'); // Nov 7, 01:30 EDT
        await times(2, () => kick('2021-11-07T06:30:00Z')); // Nov 7, 01:30 EST, the second 01:00 hour
        return visits;
      }

      it('puts month, day and hour buckets at local boundaries', async () => {
        const visits = await newYorkVisits();
        const values = visits.values();
        expect(await values.timeserie(new Date('2021-01-15T05:00:00Z'), new Date('2021-04-10T00:00:00Z'), 'month')).toEqual([
          [new Date('2021-01-01T05:00:00Z'), 1],
          [new Date('2021-02-01T05:00:00Z'), 1],
          [new Date('2021-03-01T05:00:00Z'), 4],
          [new Date('2021-04-01T04:00:00Z'), 0],
        ]);
        expect(await values.timeserie(new Date('2021-03-13T12:00:00Z'), new Date('2021-03-16T00:00:00Z'), 'day')).toEqual([
          [new Date('2021-03-13T05:00:00Z'), 1],
          [new Date('2021-03-14T05:00:00Z'), 1],
          [new Date('2021-03-15T04:00:00Z'), 0],
        ]);
        // The fall-back night has two 01:00 hours: two points, each with its own count.
        expect(await values.timeserie(new Date('2021-11-07T04:00:00Z'), new Date('2021-11-07T08:00:00Z'), 'hour')).toEqual([
          [new Date('2021-11-07T04:00:00Z'), 0],
          [new Date('2021-11-07T05:00:00Z'), 1],
          [new Date('2021-11-07T06:00:00Z'), 2],
          [new Date('2021-11-07T07:00:00Z'), 0],
        ]);
        // Default scale over one local day: hours (25 of them that day).
        const day = await values.timeserie(new Date('2021-11-07T04:00:00Z'), new Date('2021-11-08T05:00:00Z'));
        expect(day).toHaveLength(25);
        expect(day.reduce((sum, [, count]) => sum + count, 0)).toBe(3);
      });

      it('reads local days and hours: the repeated hour sums both, the skipped one is 0', async () => {
        const visits = await newYorkVisits();
        expect(await visits.timespan({ year: 2021, month: 3, day: 13 }).total()).toBe(1);
        expect(await visits.timespan({ year: 2021, month: 3, day: 14 }).total()).toBe(1);
        expect(await visits.timespan({ year: 2021, month: 11, day: 7, hour: 1 }).total()).toBe(3);
        expect(await visits.timespan({ year: 2021, month: 11, day: 7, hour: 1, minute: 30 }).total()).toBe(3);
        expect(await visits.timespan({ year: 2021, month: 11, day: 7 }).iterate()).toEqual(withCounts(zeros(0, 23), { 1: 3 }));
        expect(await visits.timespan({ year: 2021, month: 3, day: 14, hour: 2 }).total()).toBe(0);
        expect(await visits.timespan({ year: 2021, month: 3, day: 14 }).iterate()).toEqual(withCounts(zeros(0, 23), { 3: 1 }));
      });
    });

    it('lets buckets expire per scale: a 1 s minute bucket is gone while the day stays', async () => {
      const registry = await ctx.registry();
      const brief = registry.define({ name: 'brief', expirations: { minute: 1 } });
      const date = new Date();
      await brief.kick(undefined, { date });
      const minute = { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: date.getUTCHours(), minute: date.getUTCMinutes() };
      const { minute: _minute, ...hour } = minute;
      const { hour: _hour, ...day } = hour;
      expect(await brief.timespan(minute).total()).toBe(1);
      await sleep(1_250);
      expect(await brief.timespan(minute).total()).toBe(0);
      expect(await brief.timespan(hour).total()).toBe(1);
      expect(await brief.timespan(day).total()).toBe(1);
      expect(await brief.total()).toBe(1);
    });
  });
}
