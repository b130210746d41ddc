import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Axis } from '../../../../lib/metricas/axes/axis.js';
import { fieldProduct } from '../../../../lib/metricas/axes/axis-encoding.js';
import { HierarchicalAxis } from '../../../../lib/metricas/axes/hierarchical-axis.js';
import { StoredChoiceAxis } from '../../../../lib/metricas/axes/stored-choice-axis.js';
import { histogramBucketIndex } from '../../../../lib/metricas/definition/histogram-buckets.js';
import { MetricaKeys } from '../../../../lib/metricas/definition/metrica-keys.js';
import type { Metrica } from '../../../../lib/metricas/metrica.js';
import { cumulativeBuckets, histogramQuantile } from '../../../../lib/metricas/reading/histogram-quantile.js';
import { readMetricaSnapshot } from '../../../../lib/metricas/reading/metrica-snapshot.js';
import type { SouvenirsStore } from '../../../../lib/store/souvenirs-store.interface.js';
import type { ContractContext } from './harness.js';

const BOUNDS = [10, 20, 50, 100];
const SEGMENTS = ['a', 'b', 'c:d', 'e/f', ''];
const STATUSES = ['2xx', '5xx'] as const;
const REGIONS = ['x', 'y', '%', ''];
const DAYS = ['2024-03-10', '2024-03-11'];
const RUNS = Number(process.env.SOUVENIRS_HISTOGRAM_ROLLUP_RUNS ?? 15);

interface Kick {
  readonly route: string[] | undefined;
  readonly status: (typeof STATUSES)[number] | undefined;
  readonly region: string | undefined;
  readonly value: number;
  readonly day: number;
  readonly hour: number;
  /** Written as versions before exact-combination cells wrote it: a cell per combination, roll-ups included. */
  readonly legacy: boolean;
}

/** What a read selects: an axis left out is "all"; a route is a path prefix. */
interface Filter {
  readonly route?: string[];
  readonly status?: (typeof STATUSES)[number];
  readonly region?: string;
}

const pathArbitrary = fc.array(fc.constantFrom(...SEGMENTS), { minLength: 1, maxLength: 3 });
const kickArbitrary = fc.record({
  route: fc.option(pathArbitrary, { nil: undefined }),
  status: fc.option(fc.constantFrom(...STATUSES), { nil: undefined }),
  region: fc.option(fc.constantFrom(...REGIONS), { nil: undefined }),
  value: fc.double({ min: 0, max: 150, noNaN: true }),
  day: fc.nat(DAYS.length - 1),
  hour: fc.nat(2),
  legacy: fc.boolean(),
});
const filterArbitrary = fc.record(
  { route: fc.array(fc.constantFrom(...SEGMENTS), { minLength: 1, maxLength: 2 }), status: fc.constantFrom(...STATUSES), region: fc.constantFrom(...REGIONS) },
  { requiredKeys: [] },
);

function covers(filter: Filter, kick: Kick): boolean {
  if (filter.status !== undefined && kick.status !== filter.status) return false;
  if (filter.region !== undefined && kick.region !== filter.region) return false;
  if (filter.route !== undefined) {
    if (!kick.route || kick.route.length < filter.route.length) return false;
    if (filter.route.some((segment, at) => kick.route![at] !== segment)) return false;
  }
  return true;
}

/** The brute-force model: events per histogram bucket of the kicks `filter` covers (on `day`, when given). */
function modelCounts(kicks: readonly Kick[], filter: Filter, day?: number): number[] {
  const counts = new Array<number>(BOUNDS.length + 1).fill(0);
  for (const kick of kicks) if ((day === undefined || kick.day === day) && covers(filter, kick)) counts[histogramBucketIndex(BOUNDS, kick.value)]++;
  return counts;
}

type RollupMetrica = Metrica<{ route: HierarchicalAxis; status: Axis<(typeof STATUSES)[number]>; region: StoredChoiceAxis }>;

/**
 * A kick's histogram cells as earlier versions wrote them: one per combination,
 * roll-ups included, at all-time, day and hour (and its stored choices, so that
 * listing a set's members finds it). Its other counters are not written: only the
 * histogram's answers are compared.
 */
async function kickAsBefore(store: SouvenirsStore, metrica: RollupMetrica, kick: Kick): Promise<void> {
  const { definition } = metrica;
  const keys = new MetricaKeys(definition.name);
  const given: Record<string, unknown> = { route: kick.route, status: kick.status, region: kick.region };
  const encoded = definition.axes.map(([name, axis]) => ({ name, ...axis.encodeKick(given[name], { metrica: definition.name, axis: name }) }));
  for (const { name, choices } of encoded) for (const { set, member } of choices) await store.addChoices(keys.choices(name, set), [member]);
  const index = histogramBucketIndex(BOUNDS, kick.value);
  const fields = fieldProduct(encoded.map(({ parts }) => parts)).map((field) => [MetricaKeys.histogramField(field, index), 1] as const);
  const buckets = ['all', DAYS[kick.day], `${DAYS[kick.day]}T${String(kick.hour).padStart(2, '0')}+0000`];
  await store.incrementCounters(new Map(buckets.map((bucket) => [keys.histogram(bucket), { fields: new Map(fields) }])));
}

export function histogramRollupCases(ctx: ContractContext): void {
  describe('histogram roll-ups (cells of exact combinations, summed when read)', () => {
    it('writes one histogram cell per date bucket for a kick of three axes, its exact combination', async () => {
      const store = await ctx.store();
      const registry = await ctx.registry({}, store);
      const metrica = registry.define({
        name: 'exact-cells',
        axes: { route: new HierarchicalAxis(), status: new Axis({ choices: STATUSES }), region: new StoredChoiceAxis() },
        histogram: { buckets: BOUNDS },
      });
      await metrica.kick({ route: ['a', 'b'], status: '2xx', region: 'x' }, { value: 15, date: new Date('2024-03-10T12:34:00Z') });
      for (const bucket of ['all', '2024-03-10', '2024-03-10T12+0000']) {
        expect(await store.readHash(`{m:exact-cells}:he:${bucket}`)).toEqual([['psa/sb:s2xx:sx:1', 1]]);
        expect(await store.readHash(`{m:exact-cells}:h:${bucket}`)).toEqual([]);
      }
      expect(await metrica.values().filter({ route: ['a'] }).buckets()).toEqual(cumulativeBuckets(BOUNDS, [0, 1, 0, 0, 0]));
    });

    it('answers buckets and percentiles at every roll-up as a brute-force model of the kicks, earlier versions\' cells included (property)', async () => {
      const store = await ctx.store();
      const registry = await ctx.registry({ timeZone: 'UTC' }, store);
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(kickArbitrary, { minLength: 1, maxLength: 25 }), fc.array(filterArbitrary, { minLength: 1, maxLength: 4 }), async (kicks, filters) => {
          const metrica = registry.define({
            name: `rollups-${++run}`,
            axes: { route: new HierarchicalAxis(), status: new Axis({ choices: STATUSES }), region: new StoredChoiceAxis() },
            histogram: { buckets: BOUNDS },
          }) as unknown as RollupMetrica;
          for (const kick of kicks) {
            const date = new Date(`${DAYS[kick.day]}T${String(kick.hour).padStart(2, '0')}:15:00Z`);
            if (kick.legacy) await kickAsBefore(store, metrica, kick);
            else await metrica.kick({ route: kick.route, status: kick.status, region: kick.region }, { value: kick.value, date });
          }

          for (const filter of [{}, ...filters]) {
            const all = modelCounts(kicks, filter);
            const values = metrica.values().filter(filter);
            expect(await values.buckets()).toEqual(cumulativeBuckets(BOUNDS, all));
            expect(await values.percentile(0.5)).toBe(histogramQuantile(0.5, BOUNDS, all));
            for (let day = 0; day < DAYS.length; day++) {
              const [year, month, date] = DAYS[day].split('-').map(Number);
              expect(await metrica.timespan({ year, month, day: date }).filter(filter).buckets()).toEqual(cumulativeBuckets(BOUNDS, modelCounts(kicks, filter, day)));
            }
            const byStatus = await values.iteratePercentiles('status', [0.25, 0.9]);
            expect(byStatus).toEqual(STATUSES.map((status) => [status, [0.25, 0.9].map((q) => histogramQuantile(q, BOUNDS, modelCounts(kicks, { ...filter, status })))]));
            // A stored set's members (a StoredChoiceAxis' values, a path's children): one read of the set and the old cells, then the exact ones.
            const regions = [...new Set(kicks.flatMap(({ region }) => (region === undefined ? [] : [region])))].sort();
            expect(await values.iteratePercentiles('region', [0.5])).toEqual(regions.map((region) => [region, [histogramQuantile(0.5, BOUNDS, modelCounts(kicks, { ...filter, region }))]]));
            const parent = filter.route ?? [];
            const children = [...new Set(kicks.flatMap(({ route }) => (route && route.length > parent.length && parent.every((segment, at) => route[at] === segment) ? [route[parent.length]] : [])))].sort();
            const byChild = await values.iteratePercentiles('route', [0.5]);
            expect(byChild).toEqual(children.map((child) => [[...parent, child], [histogramQuantile(0.5, BOUNDS, modelCounts(kicks, { ...filter, route: [...parent, child] }))]]));
          }
          // Exact combinations, as Prometheus exports them (all time).
          const model = new Map<string, number[]>();
          for (const kick of kicks) {
            const key = JSON.stringify([kick.route ?? null, kick.status ?? null, kick.region ?? null]);
            const counts = model.get(key) ?? new Array<number>(BOUNDS.length + 1).fill(0);
            counts[histogramBucketIndex(BOUNDS, kick.value)]++;
            model.set(key, counts);
          }
          const snapshot = await readMetricaSnapshot(metrica.definition, store);
          const exported = new Map(snapshot.filter(({ buckets }) => buckets.some((count) => count > 0)).map(({ values, buckets }) => [JSON.stringify(values.map((value) => value ?? null)), buckets]));
          expect(exported).toEqual(model);
        }),
        { numRuns: RUNS },
      );
    }, 180_000);
  });
}
