import { describe, expect, it } from '@jest/globals';
import {
  InvalidAxisValueError,
  InvalidDateError,
  InvalidMetricaValueError,
  InvalidTimespanError,
  SouvenirsError,
  UnknownAxisError,
  UnknownMetricaError,
} from '../../../../lib/errors/index.js';
import { Axis } from '../../../../lib/metricas/axes/axis.js';
import { StoredChoiceAxis } from '../../../../lib/metricas/axes/stored-choice-axis.js';
import { CountingStore } from '../../../support/store-delegates.js';
import { times, type ContractContext } from './harness.js';

/** Totals, filters, combinations, multipliers and bad input. */
export function countingCases(ctx: ContractContext): void {
  describe('counting', () => {
    it('answers the staste README guest queries (filter, timespan, iterate with zeros)', async () => {
      const registry = await ctx.registry();
      const guests = registry.define({
        name: 'guest_visits_gender_age',
        axes: { gender: new Axis({ choices: ['boy', 'girl'] }), age: new StoredChoiceAxis() },
      });
      const at = (iso: string) => ({ date: new Date(iso) });
      await guests.kick({ gender: 'girl', age: 18 }, at('2011-05-01T10:00:00Z'));
      await times(4, () => guests.kick({ gender: 'girl', age: 18 }, at('2011-05-02T10:00:00Z')));
      await times(3, () => guests.kick({ gender: 'girl', age: 19 }, at('2010-03-03T10:00:00Z')));
      await times(6, () => guests.kick({ gender: 'boy', age: 19 }, at('2010-01-20T10:00:00Z')));
      await guests.kick({ gender: 'boy', age: 120 }, at('2010-02-01T00:00:00Z'));
      await times(10, () => guests.kick({ gender: 'boy', age: 17 }, at('2010-02-14T23:59:59Z')));
      await times(17, () => guests.kick({ gender: 'boy', age: 18 }, at('2010-02-28T12:00:00Z')));

      expect(await guests.timespan({ year: 2010 }).total()).toBe(37);
      expect(await guests.filter({ gender: 'girl' }).total()).toBe(8);
      expect(await guests.filter({ gender: 'girl', age: 19 }).total()).toBe(3);
      expect(await guests.filter({ gender: 'boy' }).timespan({ year: 2010, month: 2 }).filter({ age: 17 }).total()).toBe(10);
      expect(await guests.timespan({ year: 2010, month: 2 }).filter({ gender: 'boy' }).iterate('age')).toEqual([
        ['120', 1],
        ['17', 10],
        ['18', 17],
        ['19', 0],
      ]);
      expect(await guests.choices('age')).toEqual(['120', '17', '18', '19']);
      expect(await guests.total()).toBe(42);
    });

    it('bumps every combination of (all, value) per axis in all-time and every scale, in one write', async () => {
      const store = new CountingStore(await ctx.store());
      const registry = await ctx.registry({}, store);
      const shirts = registry.define({
        name: 'shirts',
        axes: { color: new Axis({ choices: ['red', 'blue'] }), size: new StoredChoiceAxis() },
      });
      await shirts.kick({ color: 'red', size: 'L' }, { date: new Date('2024-05-06T13:07:30Z') });
      // 2 axes → 4 combinations, × (all-time + 5 scales) = 24 cells, in one call.
      expect(store.incrementSizes).toEqual([24]);
      const spans = [{}, { year: 2024 }, { year: 2024, month: 5 }, { year: 2024, month: 5, day: 6 }, { year: 2024, month: 5, day: 6, hour: 13 }, { year: 2024, month: 5, day: 6, hour: 13, minute: 7 }];
      for (const span of spans) {
        const values = shirts.timespan(span);
        for (const filter of [{}, { color: 'red' as const }, { size: 'L' }, { color: 'red' as const, size: 'L' }]) {
          expect([span, filter, await values.filter(filter).total()]).toEqual([span, filter, 1]);
        }
        expect(await values.filter({ color: 'blue' }).total()).toBe(0);
        expect(await values.filter({ size: 'M' }).total()).toBe(0);
      }
      expect(await shirts.timespan({ year: 2024, month: 5, day: 6, hour: 14 }).total()).toBe(0);
      expect(await shirts.timespan({ year: 2024, month: 4 }).total()).toBe(0);
    });

    it('sums weighted kicks and rounds value × multiplier to an integer', async () => {
      const registry = await ctx.registry();
      const money = registry.define({ name: 'pocket_money', multiplier: 10 });
      await money.kick(undefined, { value: 0.26 }); // 2.6 → 3
      await money.kick(undefined, { value: 0.24 }); // 2.4 → 2
      expect(await money.total()).toBe(0.5);
      await money.kick(undefined, { value: 1.04 }); // 10.4 → 10
      await money.kick(undefined, { value: -0.14 }); // -1.4 → -1
      expect(await money.total()).toBe(1.4);
      const plain = registry.define({ name: 'plain' });
      await plain.kick();
      await plain.kick({}, { value: 2.6 }); // multiplier 1: 2.6 → 3
      expect(await plain.total()).toBe(4);
    });

    it('refuses bad input with a typed error that says what, and writes nothing', async () => {
      const store = new CountingStore(await ctx.store());
      const registry = await ctx.registry({}, store);
      const guests = registry.define({
        name: 'careful',
        axes: { gender: new Axis({ choices: ['boy', 'girl'] }), age: new StoredChoiceAxis() },
      });
      const loose = registry.get('careful');
      const cases: Array<[Promise<void>, new (...args: never[]) => SouvenirsError, RegExp]> = [
        [loose.kick({ colour: 'red' }), UnknownAxisError, /has no axis "colour": its axes are "gender", "age"/],
        [loose.kick({ gender: 'man' }), InvalidAxisValueError, /"man" for axis "gender".*allowed are its choices "boy", "girl"/],
        [loose.kick({ gender: 'girl', age: { years: 3 } as never }), InvalidAxisValueError, /axis "age"/],
        [guests.kick({ gender: 'girl' }, { value: Number.NaN }), InvalidMetricaValueError, /NaN.*finite number/],
        [guests.kick({ gender: 'girl' }, { value: Number.POSITIVE_INFINITY }), InvalidMetricaValueError, /Infinity.*finite number/],
        [guests.kick({ gender: 'girl' }, { value: '3' as never }), InvalidMetricaValueError, /"3".*finite number/],
        [guests.kick({ gender: 'girl' }, { date: new Date('nope') }), InvalidDateError, /`date` must be a valid Date/],
      ];
      for (const [kick, type, message] of cases) {
        const error = await kick.then(() => null, (caught: unknown) => caught);
        expect(error).toBeInstanceOf(type);
        expect((error as Error).message).toMatch(message);
      }
      expect(() => registry.get('carefull')).toThrow(UnknownMetricaError);
      expect(() => registry.get('carefull')).toThrow(/Unknown metrica "carefull": defined metricas are "careful"/);
      expect(() => guests.filter({ gender: 'man' as never })).toThrow(InvalidAxisValueError);
      expect(() => loose.filter({ colour: 'red' })).toThrow(UnknownAxisError);
      await expect(loose.values().iterate('colour')).rejects.toThrow(UnknownAxisError);
      const spans: Array<[object, RegExp]> = [
        [{ year: 2024, day: 3 }, /field `month`: `day` is given without `month`/],
        [{ month: 3 }, /field `year`: `month` is given without `year`/],
        [{ year: 2024, month: 13 }, /field `month`: 13 is out of range; allowed are integers 1-12/],
        [{ year: 2024, month: 1, day: 32 }, /field `day`: 32 is out of range; allowed are integers 1-31/],
        [{ year: 2023, month: 2, day: 29 }, /field `day`: 29 is out of range; allowed are integers 1-28 in 2023-02/],
        [{ year: 2024, month: 1, day: 1, hour: 24 }, /field `hour`: 24 is out of range; allowed are integers 0-23/],
        [{ year: 2024, month: 1, day: 1, hour: 0, minute: 60 }, /field `minute`: 60 is out of range/],
        [{ year: 2024.5 }, /field `year`: 2024.5 is out of range/],
        [{ week: 3 }, /field `week`: unknown field/],
      ];
      for (const [span, message] of spans) {
        expect(() => guests.timespan(span as never)).toThrow(InvalidTimespanError);
        expect(() => guests.timespan(span as never)).toThrow(message);
      }
      await registry.flush();
      expect(store.calls.incrementCounters).toBe(0);
      expect(store.calls.addChoices).toBe(0);
      expect(await guests.total()).toBe(0);
      expect(await guests.choices('age')).toEqual([]);
    });
  });
}
