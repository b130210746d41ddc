import { describe, expect, it } from '@jest/globals';
import { Axis } from '../../../../lib/metricas/axes/axis.js';
import { HierarchicalAxis } from '../../../../lib/metricas/axes/hierarchical-axis.js';
import { StoredChoiceAxis } from '../../../../lib/metricas/axes/stored-choice-axis.js';
import { readMetricaSnapshot } from '../../../../lib/metricas/reading/metrica-snapshot.js';
import type { ContractContext } from './harness.js';

/** Whole-metrica snapshots (what the Prometheus endpoint exports): exact combinations, no roll-ups. */
export function snapshotCases(ctx: ContractContext): void {
  describe('all-time snapshots', () => {
    it('gives each exact combination once, with kicks that left an axis out and hierarchical leaves', async () => {
      const store = await ctx.store();
      const registry = await ctx.registry({}, store);
      const metrica = registry.define({
        name: 'hits',
        averaged: true,
        histogram: { buckets: [10] },
        axes: { plan: new Axis({ choices: ['free', 'pro'] }), path: new HierarchicalAxis(), who: new StoredChoiceAxis() },
      });
      await metrica.kick({ plan: 'free', path: ['api', 'v1'], who: 'a' }, { value: 5 });
      await metrica.kick({ plan: 'free', path: ['api', 'v1'], who: 'a' }, { value: 20 });
      await metrica.kick({ plan: 'free', path: ['api'], who: 'a' }, { value: 1 });
      await metrica.kick({ plan: 'pro', path: ['web'], who: 'b' }, { value: 3 });
      await metrica.kick({ who: 'b' }, { value: 7 });
      const snapshot = await readMetricaSnapshot(metrica.definition, store);
      const sorted = snapshot.map(({ values, sum, count, buckets }) => ({ values, sum, count, buckets })).sort((a, b) => JSON.stringify(a.values).localeCompare(JSON.stringify(b.values)));
      expect(sorted).toEqual([
        { values: ['free', ['api'], 'a'], sum: 1, count: 1, buckets: [1, 0] },
        { values: ['free', ['api', 'v1'], 'a'], sum: 25, count: 2, buckets: [1, 1] },
        { values: ['pro', ['web'], 'b'], sum: 3, count: 1, buckets: [1, 0] },
        { values: [undefined, undefined, 'b'], sum: 7, count: 1, buckets: [1, 0] },
      ].sort((a, b) => JSON.stringify(a.values).localeCompare(JSON.stringify(b.values))));
    });
  });
}
