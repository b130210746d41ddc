import { describe, expect, it } from '@jest/globals';
import { InvalidAxisValueError, UnknownAxisError } from '../../../lib/errors/index.js';
import { Axis } from '../../../lib/metricas/axes/axis.js';
import { HierarchicalAxis } from '../../../lib/metricas/axes/hierarchical-axis.js';
import { MetricaRegistry } from '../../../lib/metricas/metrica.registry.js';
import { StoredChoiceAxis } from '../../../lib/metricas/axes/stored-choice-axis.js';
import { MemorySouvenirsStore } from '../../../lib/store/memory/memory-souvenirs.store.js';
import { metricaOptions } from '../../integration/metricas/contract/harness.js';

/**
 * `tsc --noEmit` checks this file: each `@ts-expect-error` line must be a type
 * error, or the compile fails. At run time the same calls are refused by the
 * runtime checks, which the assertions verify.
 */
describe('typed define()', () => {
  it('types kick() and filter() by the declared axes, and checks the same at run time', async () => {
    const store = new MemorySouvenirsStore();
    const registry = new MetricaRegistry(store, ...metricaOptions());
    const guests = registry.define({
      name: 'typed_guests',
      axes: {
        gender: new Axis({ choices: ['boy', 'girl'] }),
        age: new StoredChoiceAxis(),
        place: new HierarchicalAxis(),
      },
    });
    const plain = registry.define({ name: 'typed_plain' });

    await guests.kick({ gender: 'girl', age: 18, place: ['fr', 'paris'] });
    await guests.kick({ gender: 'boy' });
    await plain.kick();

    // @ts-expect-error: "gendr" is not an axis of this metrica
    await expect(guests.kick({ gendr: 'boy' })).rejects.toThrow(UnknownAxisError);
    // @ts-expect-error: "man" is not one of the Axis's choices
    await expect(guests.kick({ gender: 'man' })).rejects.toThrow(InvalidAxisValueError);
    // @ts-expect-error: a HierarchicalAxis takes a path (an array)
    await expect(guests.kick({ place: 'fr/paris' })).rejects.toThrow(InvalidAxisValueError);
    // @ts-expect-error: a StoredChoiceAxis takes a scalar
    await expect(guests.kick({ age: [18] })).rejects.toThrow(InvalidAxisValueError);
    // @ts-expect-error: a metrica without axes takes none
    await expect(plain.kick({ gender: 'boy' })).rejects.toThrow(UnknownAxisError);
    // @ts-expect-error: filters are typed the same way
    expect(() => guests.filter({ gender: 'man' })).toThrow(InvalidAxisValueError);
    // @ts-expect-error: and so is iterate()
    await expect(guests.values().iterate('nope')).rejects.toThrow(UnknownAxisError);
    // @ts-expect-error: the value option is a number
    await expect(guests.kick({}, { value: '3' })).rejects.toThrow(/finite number/);

    // Keys come back typed per axis kind.
    const genders: Array<['boy' | 'girl', number]> = await guests.values().iterate('gender');
    const ages: Array<[string, number]> = await guests.values().iterate('age');
    const places: Array<[(string | number)[], number]> = await guests.values().iterate('place');
    const days: Array<[number, number]> = await guests.values().iterate();
    expect(genders).toEqual([['boy', 1], ['girl', 1]]);
    expect(ages).toEqual([['18', 1]]);
    expect(places).toEqual([[['fr'], 1]]);
    expect(days).toHaveLength(1);
    expect(await guests.filter({ gender: 'girl', age: '18', place: ['fr'] }).total()).toBe(1);
    expect(await plain.total()).toBe(1);

    // registry.get() gives an untyped Metrica: any axis name type-checks, the runtime still checks.
    await expect(registry.get('typed_guests').kick({ gendr: 'boy' })).rejects.toThrow(UnknownAxisError);
    store.onModuleDestroy();
  });
});
