import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { InvalidMetricaDefinitionError, InvalidTimespanError, RangeTooLargeError } from '../../../../lib/errors/index.js';
import { Axis } from '../../../../lib/metricas/axes/axis.js';
import { StoredChoiceAxis } from '../../../../lib/metricas/axes/stored-choice-axis.js';
import type { Scale } from '../../../../lib/metricas/definition/metrica-definition.interface.js';
import { histogramBucketIndex } from '../../../../lib/metricas/definition/histogram-buckets.js';
import { cumulativeBuckets, histogramQuantile } from '../../../../lib/metricas/reading/histogram-quantile.js';
import type { MetricaRegistry } from '../../../../lib/metricas/metrica.registry.js';
import type { Metrica } from '../../../../lib/metricas/metrica.js';
import type { Timespan } from '../../../../lib/metricas/definition/metrica-types.js';
import type { ContractContext } from './harness.js';

const SCALES: readonly Scale[] = ['year', 'month', 'day', 'hour', 'minute'];
const BOUNDS = [10, 20, 50, 100];
const ROUTES = ['a', 'b/c', ''];
const STATUSES = ['2xx', '5xx'] as const;
/** UTC, an hour's DST shift, a half-hour one (Lord Howe) and a :45 offset. */
const ZONES = ['UTC', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
/** DST changes in those zones and a new year, where kicks cluster. */
const ANCHORS = ['2023-09-30T15:30:00Z', '2023-11-05T06:00:00Z', '2023-12-31T23:30:00Z', '2024-03-10T07:00:00Z', '2024-04-06T15:00:00Z'].map((iso) =>
  Date.parse(iso),
);
const WINDOW = [Date.parse('2023-09-01T00:00:00Z'), Date.parse('2024-05-01T00:00:00Z')] as const;
const RUNS = Number(process.env.SOUVENIRS_HISTOGRAM_LAYOUT_RUNS ?? 12);

interface Kick {
  readonly route: string;
  readonly status: (typeof STATUSES)[number];
  readonly value: number;
  readonly when: Date;
}

const kickArbitrary = fc.record({
  route: fc.constantFrom(...ROUTES),
  status: fc.constantFrom(...STATUSES),
  value: fc.double({ min: 0, max: 150, noNaN: true }),
  when: fc
    .oneof(
      fc.integer({ min: WINDOW[0], max: WINDOW[1] }),
      fc.tuple(fc.constantFrom(...ANCHORS), fc.integer({ min: -3 * 3_600_000, max: 3 * 3_600_000 })).map(([anchor, shift]) => anchor + shift),
    )
    .map((ms) => new Date(ms)),
});

/** A kept scale set (any) and the histogram's scales (any subset of it). */
const layoutArbitrary = fc
  .subarray([...SCALES])
  .chain((kept) => fc.tuple(fc.constant(kept), fc.subarray(kept), fc.boolean()))
  .map(([kept, histogram, defaults]) => ({ kept, histogram: defaults ? undefined : histogram }));

/** The brute-force model: per-bucket counts of the kicks whose local wall clock (and offset, when given) matches. */
function modelCounts(kicks: readonly Kick[], zone: string, fields: Timespan, offset?: number, filter?: Partial<Pick<Kick, 'route' | 'status'>>): number[] {
  const counts = new Array<number>(BOUNDS.length + 1).fill(0);
  for (const kick of kicks) {
    if (filter?.route !== undefined && kick.route !== filter.route) continue;
    if (filter?.status !== undefined && kick.status !== filter.status) continue;
    const local = DateTime.fromJSDate(kick.when, { zone });
    if ((Object.keys(fields) as Scale[]).some((scale) => local[scale] !== fields[scale])) continue;
    if (offset !== undefined && local.offset !== offset) continue;
    counts[histogramBucketIndex(BOUNDS, kick.value)]++;
  }
  return counts;
}

/** The timespan of `scale` holding `when`, read on the zone's wall clock. */
function timespanOf(when: Date, scale: Scale, zone: string): Timespan {
  const local = DateTime.fromJSDate(when, { zone });
  const fields: Timespan = {};
  for (const one of SCALES.slice(0, SCALES.indexOf(scale) + 1)) fields[one] = local[one];
  return fields;
}

/** Histogram cells kept at all-time and the given scales only; coarser scales summed from finer cells, checked against a model. */
export function histogramLayoutCases(ctx: ContractContext): void {
  describe('histogram layout (cells at histogram.scales, coarser scales summed)', () => {
    it('keeps day and hour cells by default, refuses scales the metrica does not keep, and refuses a scale finer than every kept cell', async () => {
      const registry = await ctx.registry({ now: () => new Date('2024-03-10T12:00:00Z') });
      const latency = registry.define({ name: 'latency', averaged: true, histogram: { buckets: BOUNDS } });
      expect([...latency.definition.histogramScales]).toEqual(['day', 'hour']);
      expect([...registry.define({ name: 'monthly', scales: ['year', 'month'], histogram: { buckets: BOUNDS } }).definition.histogramScales]).toEqual(['month']);
      expect([...registry.define({ name: 'chosen', histogram: { buckets: BOUNDS, scales: ['minute', 'year'] } }).definition.histogramScales]).toEqual(['year', 'minute']);
      expect(() => registry.define({ name: 'bad1', scales: ['day'], histogram: { buckets: BOUNDS, scales: ['hour'] } })).toThrow(InvalidMetricaDefinitionError);
      expect(() => registry.define({ name: 'bad2', histogram: { buckets: BOUNDS, scales: ['day', 'day'] } })).toThrow(/twice/);
      expect(() => registry.define({ name: 'bad3', histogram: { buckets: BOUNDS, scales: 'day' as never } })).toThrow(/histogram\.scales/);
      await latency.kick({}, { value: 15 });
      const minute = { year: 2024, month: 3, day: 10, hour: 12, minute: 0 };
      await expect(latency.timespan(minute).percentile(0.5)).rejects.toThrow(InvalidTimespanError);
      await expect(latency.timespan(minute).percentile(0.5)).rejects.toThrow(/histogram\.scales/);
      await expect(latency.values().timeseriePercentiles(new Date('2024-03-10T11:00:00Z'), new Date('2024-03-10T12:00:00Z'), [0.5], 'minute')).rejects.toThrow(
        InvalidTimespanError,
      );
      // Its counters still keep the minute; only histogram cells are not.
      expect(await latency.timespan(minute).count()).toBe(1);
      // A series without a scale picks the finest one the histogram answers: hours, not minutes.
      const series = await latency.values().timeseriePercentiles(new Date('2024-03-10T10:00:00Z'), new Date('2024-03-10T13:00:00Z'), [0.5]);
      expect(series.map(([t]) => t.toISOString())).toEqual(['2024-03-10T10:00:00.000Z', '2024-03-10T11:00:00.000Z', '2024-03-10T12:00:00.000Z']);
      expect(series[2][1]).toEqual([15]);
    });

    it('writes histogram cells at all-time and the histogram scales only', async () => {
      const store = await ctx.store();
      const registry = await ctx.registry({}, store);
      const metrica = registry.define({ name: 'cells', histogram: { buckets: BOUNDS } });
      await metrica.kick({}, { value: 15, date: new Date('2024-03-10T12:34:00Z') });
      const filled = async (bucket: string) => (await store.readHash(`{m:cells}:he:${bucket}`)).length > 0;
      expect(await Promise.all(['all', '2024-03-10', '2024-03-10T12+0000'].map(filled))).toEqual([true, true, true]);
      expect(await Promise.all(['2024', '2024-03', '2024-03-10T12:34+0000'].map(filled))).toEqual([false, false, false]);
    });

    it('answers buckets and percentiles at every readable scale as a brute-force model of the kicks (property)', async () => {
      const registries = new Map<string, MetricaRegistry>();
      const registryOf = async (zone: string): Promise<MetricaRegistry> => {
        let registry = registries.get(zone);
        if (!registry) registries.set(zone, (registry = await ctx.registry({ timeZone: zone })));
        return registry;
      };
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...ZONES), layoutArbitrary, fc.array(kickArbitrary, { minLength: 1, maxLength: 30 }), fc.nat(), async (zone, layout, kicks, pick) => {
          const registry = await registryOf(zone);
          const metrica = registry.define({
            name: `layout-${++run}`,
            scales: layout.kept,
            axes: { route: new StoredChoiceAxis(), status: new Axis({ choices: STATUSES }) },
            histogram: { buckets: BOUNDS, ...(layout.histogram ? { scales: layout.histogram } : {}) },
          }) as unknown as Metrica;
          await Promise.all(kicks.map(({ route, status, value, when }) => metrica.kick({ route, status }, { value, date: when })));
          const stored = metrica.definition.histogramScales;
          const source = (scale: Scale) => SCALES.slice(SCALES.indexOf(scale)).find((finer) => stored.has(finer));
          const readable = (scale: Scale) => source(scale) !== undefined;
          // What a read may sum, counting 12 months a year, 31 days a month, 25 hours a day, 60 minutes an hour:
          // past 100,000 cells (20,000 per member of a stored set), refused, typed (a year from minutes, say).
          const most = (scale: Scale) => {
            let factor = 1;
            for (let at = SCALES.indexOf(scale); SCALES[at] !== source(scale); at++) factor *= [12, 31, 25, 60][at];
            return factor * (BOUNDS.length + 1);
          };
          const tooLarge = (scale: Scale, perMember = false) => most(scale) > (perMember ? 20_000 : 100_000);
          const sample = kicks[pick % kicks.length].when;

          expect(await metrica.values().buckets()).toEqual(cumulativeBuckets(BOUNDS, modelCounts(kicks, zone, {})));
          for (const scale of layout.kept) {
            const fields = timespanOf(sample, scale, zone);
            const values = metrica.timespan(fields);
            if (!readable(scale) || tooLarge(scale)) {
              await expect(values.buckets()).rejects.toThrow(readable(scale) ? RangeTooLargeError : InvalidTimespanError);
              continue;
            }
            const counts = modelCounts(kicks, zone, fields);
            expect(await values.buckets()).toEqual(cumulativeBuckets(BOUNDS, counts));
            expect(await values.percentile(0.9)).toBe(histogramQuantile(0.9, BOUNDS, counts));
            // Per stored choice (a set's members) and per fixed choice, in one read each.
            if (tooLarge(scale, true)) {
              await expect(values.iteratePercentiles('route', [0.5])).rejects.toThrow(RangeTooLargeError);
            } else {
              const byRoute = await values.iteratePercentiles('route', [0.5]);
              const routes = [...new Set(kicks.map(({ route }) => route))].sort();
              expect(byRoute).toEqual(routes.map((route) => [route, [histogramQuantile(0.5, BOUNDS, modelCounts(kicks, zone, fields, undefined, { route }))]]));
            }
            const byStatus = await values.filter({ route: kicks[pick % kicks.length].route }).iteratePercentiles('status', [0.25, 0.75]);
            expect(byStatus).toEqual(
              STATUSES.map((status) => [
                status,
                [0.25, 0.75].map((q) => histogramQuantile(q, BOUNDS, modelCounts(kicks, zone, fields, undefined, { route: kicks[pick % kicks.length].route, status }))),
              ]),
            );
          }

          // The years seen, each summed from whatever cells are kept.
          if (layout.kept.includes('year') && readable('year') && !tooLarge('year')) {
            const years = [...new Set(kicks.map(({ when }) => DateTime.fromJSDate(when, { zone }).year))].sort();
            expect(await metrica.values().iteratePercentiles(undefined, [0.5])).toEqual(
              years.map((year) => [year, [histogramQuantile(0.5, BOUNDS, modelCounts(kicks, zone, { year }))]]),
            );
          }

          // A time series: one point per bucket, each the kicks of that bucket (its offset too, for hours).
          const seriesScale = layout.kept.filter((scale) => scale !== 'minute' && readable(scale) && !tooLarge(scale)).at(pick % 3 === 0 ? 0 : -1);
          if (seriesScale) {
            const reach = { year: 0, month: 0, day: 3 * 86_400_000, hour: 3 * 3_600_000, minute: 0 }[seriesScale];
            const [since, until] = reach > 0 ? [new Date(sample.getTime() - reach), new Date(sample.getTime() + reach)] : [new Date(WINDOW[0]), new Date(WINDOW[1])];
            const series = await metrica.values().timeseriePercentiles(since, until, [0.5], seriesScale);
            for (const [start, [median]] of series) {
              const local = DateTime.fromJSDate(start, { zone });
              const counts = modelCounts(kicks, zone, timespanOf(start, seriesScale, zone), seriesScale === 'hour' ? local.offset : undefined);
              expect([start, median]).toEqual([start, histogramQuantile(0.5, BOUNDS, counts)]);
            }
          }
        }),
        { numRuns: RUNS },
      );
      // A Cluster store on a loaded machine takes seconds per run.
    }, 180_000);
  });
}
