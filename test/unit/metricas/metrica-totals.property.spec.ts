import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Axis } from '../../../lib/metricas/axes/axis.js';
import { MetricaRegistry } from '../../../lib/metricas/metrica.registry.js';
import { StoredChoiceAxis } from '../../../lib/metricas/axes/stored-choice-axis.js';
import { type AxisScalar } from '../../../lib/metricas/axes/axis-value.js';
import { MemorySouvenirsStore } from '../../../lib/store/memory/memory-souvenirs.store.js';
import { metricaOptions } from '../../integration/metricas/contract/harness.js';

/** Values chosen to collide under a naive encoding, plus arbitrary ones. */
const tricky = fc.constantFrom<AxisScalar>('', '__all__', '*', '%', '%25', '%3A', ':', 'a:b', '/', 'a/b', 'null', 'true', 'false', '18', 18, true, false, null);
const scalar: fc.Arbitrary<AxisScalar> = fc.oneof(
  tricky,
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.integer({ min: -20, max: 20 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const choices = fc.uniqueArray(scalar, { minLength: 1, maxLength: 6, comparator: 'SameValueZero' });
const storedText = fc.oneof(fc.constantFrom('', '__all__', '%', ':', '/', 'null', '18'), fc.string({ unit: 'binary', maxLength: 6 }));

describe('metrica totals (property, memory store)', () => {
  it('never confuses two values and always adds up', async () => {
    await fc.assert(
      fc.asyncProperty(
        choices,
        choices,
        fc.array(fc.tuple(fc.nat(), fc.nat(), storedText), { minLength: 1, maxLength: 25 }),
        async (firstChoices, secondChoices, picks) => {
          const store = new MemorySouvenirsStore();
          const registry = new MetricaRegistry(store, ...metricaOptions());
          const metrica = registry.define({
            name: 'property',
            axes: { first: new Axis({ choices: firstChoices }), second: new Axis({ choices: secondChoices }), text: new StoredChoiceAxis() },
            scales: ['year'],
          });
          const kicks = picks.map(([a, b, text]) => ({
            first: firstChoices[a % firstChoices.length],
            second: secondChoices[b % secondChoices.length],
            text,
          }));
          await Promise.all(kicks.map((axes) => metrica.kick(axes)));
          const countOf = (match: (kick: (typeof kicks)[number]) => boolean) => kicks.filter(match).length;

          expect(await metrica.total()).toBe(kicks.length);
          const byFirst = await metrica.values().iterate('first');
          expect(byFirst).toEqual(firstChoices.map((value) => [value, countOf((kick) => kick.first === value)]));
          const bySecond = await metrica.values().iterate('second');
          expect(bySecond.reduce((sum, [, count]) => sum + count, 0)).toBe(kicks.length);
          const byText = await metrica.values().iterate('text');
          const texts = [...new Set(kicks.map((kick) => kick.text))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          expect(byText).toEqual(texts.map((text) => [text, countOf((kick) => kick.text === text)]));
          for (const value of firstChoices) {
            if (value === null) continue; // a null filter selects every value
            for (const other of secondChoices) {
              if (other === null) continue;
              expect(await metrica.filter({ first: value, second: other }).total()).toBe(
                countOf((kick) => kick.first === value && kick.second === other),
              );
            }
          }
          store.onModuleDestroy();
        },
      ),
      { numRuns: 150 },
    );
  });
});
