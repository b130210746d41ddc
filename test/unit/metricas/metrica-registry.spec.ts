import { afterEach, describe, expect, it } from '@jest/globals';
import { InvalidMetricaDefinitionError, UnknownMetricaError, UnknownTimeZoneError } from '../../../lib/errors/index.js';
import { Axis } from '../../../lib/metricas/axes/axis.js';
import { HierarchicalAxis } from '../../../lib/metricas/axes/hierarchical-axis.js';
import { MetricaRegistry } from '../../../lib/metricas/metrica.registry.js';
import { StoredChoiceAxis } from '../../../lib/metricas/axes/stored-choice-axis.js';
import { type MetricaDefinition } from '../../../lib/metricas/definition/metrica-definition.interface.js';
import { MemorySouvenirsStore } from '../../../lib/store/memory/memory-souvenirs.store.js';
import { metricaOptions } from '../../integration/metricas/contract/harness.js';

describe('MetricaRegistry definitions', () => {
  const stores: MemorySouvenirsStore[] = [];
  const newRegistry = (overrides: Parameters<typeof metricaOptions>[0] = {}) => {
    const store = new MemorySouvenirsStore();
    stores.push(store);
    return new MetricaRegistry(store, ...metricaOptions(overrides));
  };
  afterEach(() => stores.splice(0).forEach((store) => store.onModuleDestroy()));

  it('defines the metricas of the options at module init, and lists and gets them', () => {
    const registry = newRegistry({ metricas: [{ name: 'signups' }, { name: 'response_time', averaged: true }] });
    expect(registry.list()).toEqual([]);
    registry.onModuleInit();
    expect(registry.list().map((metrica) => metrica.name)).toEqual(['signups', 'response_time']);
    expect(registry.get('response_time').averaged).toBe(true);
    expect(registry.has('signups')).toBe(true);
    expect(() => registry.get('nope')).toThrow(UnknownMetricaError);
    // A name that refuses conversion to a string is described, not converted.
    expect(() => registry.get(Object.create(null) as string)).toThrow(UnknownMetricaError);
    expect(() => registry.get('nope')).toThrow('Unknown metrica "nope": defined metricas are "signups", "response_time"; define it first or fix the name.');
  });

  it('fills in the documented defaults', () => {
    const metrica = newRegistry().define({ name: 'defaults' });
    expect(metrica.scales).toEqual(['year', 'month', 'day', 'hour', 'minute']);
    expect(metrica.expirations).toEqual({ month: 94_608_000, day: 15_984_000, hour: 1_209_600, minute: 86_400 });
    expect(metrica.multiplier).toBe(1);
    expect(metrica.averaged).toBe(false);
    expect(newRegistry().define({ name: 'forever', expirations: { minute: 0, year: 60 } }).expirations).toEqual({
      year: 60,
      month: 94_608_000,
      day: 15_984_000,
      hour: 1_209_600,
    });
  });

  it('returns the same metrica for an identical redefinition and refuses a different one', () => {
    const registry = newRegistry();
    const definition = () => ({ name: 'guests', axes: { gender: new Axis({ choices: ['boy', 'girl'] }), age: new StoredChoiceAxis() } });
    const first = registry.define(definition());
    expect(registry.define(definition())).toBe(first);
    expect(() => registry.define({ name: 'guests', axes: { gender: new Axis({ choices: ['girl', 'boy'] }), age: new StoredChoiceAxis() } })).toThrow(
      /Invalid definition of metrica "guests": a different metrica is already defined under this name/,
    );
    expect(() => registry.define({ ...definition(), averaged: true })).toThrow(InvalidMetricaDefinitionError);
    expect(() => registry.define({ name: 'guests', axes: { gender: new Axis({ choices: ['boy', 'girl'] }), age: new StoredChoiceAxis({ maxChoices: 9 }) } })).toThrow(
      InvalidMetricaDefinitionError,
    );
    expect(registry.list()).toHaveLength(1);
  });

  it.each<[string, unknown, RegExp]>([
    ['a name with braces', { name: 'a{b}' }, /the name must be 1-200 letters, digits or _ \. - : \//],
    ['an empty name', { name: '' }, /the name must be/],
    ['a zero multiplier', { name: 'm', multiplier: 0 }, /`multiplier` must be a finite number > 0, received 0/],
    ['an infinite multiplier', { name: 'm', multiplier: Infinity }, /`multiplier` must be a finite number > 0/],
    ['an unknown scale', { name: 'm', scales: ['week'] }, /unknown scale "week" in `scales`; scales are year, month, day, hour, minute/],
    ['a scale twice', { name: 'm', scales: ['day', 'day'] }, /scale "day" is listed twice/],
    ['a negative expiration', { name: 'm', expirations: { minute: -1 } }, /`expirations.minute` must be whole seconds >= 0/],
    ['a fractional expiration', { name: 'm', expirations: { minute: 0.5 } }, /`expirations.minute` must be whole seconds/],
    ['an expiration of an unknown scale', { name: 'm', expirations: { minutes: 60 } }, /unknown scale `minutes` in `expirations`/],
    ['an unknown property', { name: 'm', axis: {} }, /unknown property `axis`/],
    ['an axis that is not an Axis', { name: 'm', axes: { plan: ['free'] } }, /axis `plan` must be an Axis, StoredChoiceAxis or HierarchicalAxis/],
    ['averaged not a boolean', { name: 'm', averaged: 'yes' }, /`averaged` must be a boolean/],
  ])('refuses %s', (_, definition, message) => {
    const registry = newRegistry();
    expect(() => registry.define(definition as MetricaDefinition)).toThrow(InvalidMetricaDefinitionError);
    expect(() => registry.define(definition as MetricaDefinition)).toThrow(message);
    expect(registry.list()).toEqual([]);
  });

  it('refuses bad axes when they are built', () => {
    expect(() => new Axis({ choices: [] })).toThrow(/an Axis needs `choices`, a non-empty array/);
    expect(() => new Axis({ choices: ['a', 'a'] })).toThrow(/Axis choice "a" is listed twice/);
    expect(() => new Axis({ choices: [Number.NaN] })).toThrow(/choices are strings, finite numbers, booleans or null/);
    expect(() => new Axis({ choices: [['a']] as never })).toThrow(InvalidMetricaDefinitionError);
    expect(() => new StoredChoiceAxis({ maxChoices: 0 })).toThrow(/`maxChoices` must be a positive integer/);
    expect(() => new HierarchicalAxis({ maxDepth: 1.5 })).toThrow(/`maxDepth` must be a positive integer/);
  });

  it('refuses an unknown time zone', () => {
    expect(() => newRegistry({ timeZone: 'Mars/Olympus' })).toThrow(UnknownTimeZoneError);
  });

  it('flushes waiting kicks at application shutdown', async () => {
    const store = new MemorySouvenirsStore();
    stores.push(store);
    const registry = new MetricaRegistry(store, ...metricaOptions({ kickBuffer: { maxCells: 1000, flushIntervalMs: 60_000, trackingFlushIntervalMs: 60_000, retryForMs: 10_000 } }));
    const clicks = registry.define({ name: 'clicks', scales: [] });
    const kick = clicks.kick();
    const tracked = registry.lane(60_000).kick(clicks);
    await registry.beforeApplicationShutdown();
    await Promise.all([kick, tracked]);
    expect(await clicks.total()).toBe(2);
  });

  it('gathers a lane\'s kicks for its flush interval while plain kicks go out on the next turn', async () => {
    const store = new MemorySouvenirsStore();
    stores.push(store);
    const registry = new MetricaRegistry(store, ...metricaOptions({ kickBuffer: { maxCells: 1000, flushIntervalMs: 0, trackingFlushIntervalMs: 200, retryForMs: 10_000 } }));
    const clicks = registry.define({ name: 'clicks', scales: [] });
    let trackedStored = false;
    const lane = registry.lane(200);
    const tracked = Promise.all([lane.kick(clicks), lane.kick(clicks)]).then(() => (trackedStored = true));
    await clicks.kick();
    expect(trackedStored).toBe(false);
    expect(await clicks.total()).toBe(1);
    await tracked;
    expect(await clicks.total()).toBe(3);
    const late = lane.kick(clicks);
    await registry.flush();
    await late;
    expect(await clicks.total()).toBe(4);
    await registry.onApplicationShutdown();
  });
});
