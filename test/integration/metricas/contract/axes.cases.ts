import { describe, expect, it } from '@jest/globals';
import { TooManyChoicesError } from '../../../../lib/errors/index.js';
import { Axis } from '../../../../lib/metricas/axes/axis.js';
import { HierarchicalAxis } from '../../../../lib/metricas/axes/hierarchical-axis.js';
import { StoredChoiceAxis } from '../../../../lib/metricas/axes/stored-choice-axis.js';
import { CountingStore } from '../../../support/store-delegates.js';
import { times, type ContractContext } from './harness.js';

/** Values that an unescaped encoding would confuse with each other or with "all". */
const TRICKY = ['18', 18, true, 'true', false, null, 'null', '', '__all__', '*', 'a:b', 'a%3Ab', '%', '%25', 'x/y', 'é', '😀', '\uD800', '\uDC00'] as const;

/** The three axis kinds, stored choices and encoding. */
export function axesCases(ctx: ContractContext): void {
  describe('axes', () => {
    it('iterates an Axis in declared order, a StoredChoiceAxis sorted, with zeros', async () => {
      const registry = await ctx.registry();
      const orders = registry.define({
        name: 'orders',
        axes: { plan: new Axis({ choices: ['pro', 'free', 'team'] }), country: new StoredChoiceAxis() },
      });
      await times(3, () => orders.kick({ plan: 'pro', country: 'fr' }));
      await orders.kick({ plan: 'free', country: 'de' });
      await orders.kick({ plan: 'free', country: 42 });
      await orders.kick({ plan: 'team' });
      expect(await orders.values().iterate('plan')).toEqual([['pro', 3], ['free', 2], ['team', 1]]);
      expect(await orders.values().iterate('country')).toEqual([['42', 1], ['de', 1], ['fr', 3]]);
      expect(await orders.filter({ plan: 'free' }).iterate('country')).toEqual([['42', 1], ['de', 1], ['fr', 0]]);
      // A value left out counts under "all" only.
      expect(await orders.filter({ plan: 'team' }).total()).toBe(1);
      expect(await orders.filter({ country: '42' }).total()).toBe(1);
      expect(await orders.filter({ country: 42 }).total()).toBe(1);
      expect(await orders.choices('plan')).toEqual(['pro', 'free', 'team']);
    });

    it('caps a StoredChoiceAxis at maxChoices: the kick past it is refused and writes nothing', async () => {
      const store = new CountingStore(await ctx.store());
      const registry = await ctx.registry({}, store);
      const pages = registry.define({ name: 'pages', axes: { page: new StoredChoiceAxis({ maxChoices: 2 }) } });
      await pages.kick({ page: '/a' });
      await pages.kick({ page: '/b' });
      const writes = store.calls.incrementCounters;
      const refused = await pages.kick({ page: '/c' }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(TooManyChoicesError);
      expect((refused as Error).message).toMatch(/Axis "page" of metrica "pages" already holds its maximum of 2 stored values, so the new value "\/c" was refused/);
      await registry.flush();
      expect(store.calls.incrementCounters).toBe(writes);
      expect(await pages.total()).toBe(2);
      expect(await pages.choices('page')).toEqual(['/a', '/b']);
      // Known values still count, with no further store call for their choice.
      const adds = store.calls.addChoices;
      await pages.kick({ page: '/a' });
      expect(store.calls.addChoices).toBe(adds);
      expect(await pages.filter({ page: '/a' }).total()).toBe(2);
    });

    it('counts hierarchical paths under every prefix and iterates one level under the filter', async () => {
      const registry = await ctx.registry();
      const catalog = registry.define({
        name: 'catalog',
        axes: { category: new HierarchicalAxis(), plan: new Axis({ choices: ['free', 'pro'] }) },
      });
      await catalog.kick({ category: ['books', 'fiction', 'crime'], plan: 'pro' });
      await catalog.kick({ category: ['books', 'fiction', 'poetry'], plan: 'free' });
      await times(2, () => catalog.kick({ category: ['books', 'science'], plan: 'free' }));
      await catalog.kick({ category: ['music'], plan: 'pro' });
      await catalog.kick({ category: [1], plan: 'pro' });
      await catalog.kick({ category: ['1'], plan: 'pro' });
      await catalog.kick({ category: ['a/b'], plan: 'pro' });
      await catalog.kick({ plan: 'free' });

      expect(await catalog.total()).toBe(9);
      expect(await catalog.filter({ category: ['books'] }).total()).toBe(4);
      expect(await catalog.filter({ category: ['books', 'fiction'] }).total()).toBe(2);
      expect(await catalog.filter({ category: ['books', 'fiction', 'crime'] }).total()).toBe(1);
      expect(await catalog.filter({ category: ['books'], plan: 'free' }).total()).toBe(3);
      expect(await catalog.values().iterate('category')).toEqual([
        [[1], 1],
        [['1'], 1],
        [['a/b'], 1],
        [['books'], 4],
        [['music'], 1],
      ]);
      expect(await catalog.filter({ category: ['books'] }).iterate('category')).toEqual([
        [['books', 'fiction'], 2],
        [['books', 'science'], 2],
      ]);
      expect(await catalog.filter({ category: ['books', 'fiction'], plan: 'pro' }).iterate('category')).toEqual([
        [['books', 'fiction', 'crime'], 1],
        [['books', 'fiction', 'poetry'], 0],
      ]);
      expect(await catalog.filter({ category: ['books', 'science'] }).iterate('category')).toEqual([]);
      expect(await catalog.filter({ category: ['a', 'b'] }).total()).toBe(0);
    });

    it('iterates stored values, hierarchical children and the years seen in ONE store call each', async () => {
      const store = new CountingStore(await ctx.store());
      const registry = await ctx.registry({}, store);
      const guests = registry.define({
        name: 'guests',
        axes: { age: new StoredChoiceAxis(), path: new HierarchicalAxis(), plan: new Axis({ choices: ['free', 'pro'] }) },
        averaged: true,
      });
      await guests.kick({ age: 18, path: ['a', 'x'], plan: 'pro' }, { date: new Date('2024-03-01T10:00:00Z'), value: 4 });
      await guests.kick({ age: 30, path: ['a', 'y'], plan: 'free' }, { date: new Date('2023-03-01T10:00:00Z'), value: 2 });
      await guests.kick({ age: 18, path: ['b'], plan: 'free' }, { date: new Date('0999-06-01T10:00:00Z'), value: 6 });
      await registry.flush();
      const queries: Array<[() => Promise<unknown>, unknown]> = [
        [() => guests.values().iterate('age'), [['18', 10], ['30', 2]]],
        [() => guests.filter({ plan: 'free' }).iterateCounts('age'), [['18', 1], ['30', 1]]],
        [() => guests.timespan({ year: 2024 }).iterateAverages('age'), [['18', 4], ['30', null]]],
        [() => guests.filter({ path: ['a'] }).iterate('path'), [[['a', 'x'], 4], [['a', 'y'], 2]]],
        [() => guests.filter({ plan: 'free' }).iterateCounts('path'), [[['a'], 1], [['b'], 1]]],
        [() => guests.values().iterate(), [[999, 6], [2023, 2], [2024, 4]]],
        [() => guests.filter({ age: 18 }).iterateAverages(), [[999, 6], [2023, null], [2024, 4]]],
      ];
      for (const [query, expected] of queries) {
        const before = store.totalCalls;
        const calls = store.calls.readCountersOfMembers;
        expect(await query()).toEqual(expected);
        expect(store.totalCalls - before).toBe(1);
        expect(store.calls.readCountersOfMembers - calls).toBe(1);
      }
    });

    it('never confuses values across types, separators, "__all__", "%", empty strings or surrogates', async () => {
      const registry = await ctx.registry();
      const tricky = registry.define({
        name: 'tricky',
        axes: { value: new Axis({ choices: TRICKY }), text: new StoredChoiceAxis() },
      });
      for (const [index, value] of TRICKY.entries()) {
        const text = typeof value === 'string' ? value : `#${index}`;
        await times(index + 1, () => tricky.kick({ value, text }));
      }
      const expected = TRICKY.map((value, index) => [value, index + 1]);
      expect(await tricky.values().iterate('value')).toEqual(expected);
      for (const [index, value] of TRICKY.entries()) {
        // A null filter means "all values"; the null choice is read through iterate() above.
        const expectedTotal = value === null ? (TRICKY.length * (TRICKY.length + 1)) / 2 : index + 1;
        expect([value, await tricky.filter({ value }).total()]).toEqual([value, expectedTotal]);
      }
      const texts = TRICKY.map((value, index) => [typeof value === 'string' ? value : `#${index}`, index + 1] as [string, number]);
      texts.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      expect(await tricky.values().iterate('text')).toEqual(texts);
      // '18' (string) and 18 (number) are one stored value, as text: here '18' is index 0 and 18 became '#1'.
      expect(await tricky.filter({ text: '18' }).total()).toBe(1);
      expect(await tricky.filter({ value: '', text: '' }).total()).toBe(TRICKY.indexOf('') + 1);
      expect(await tricky.filter({ value: '__all__', text: '' }).total()).toBe(0);
    });
  });
}
