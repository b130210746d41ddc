import { afterEach, describe, expect, it } from '@jest/globals';
import { InvalidMetricaDefinitionError } from '../../../lib/errors/index.js';
import { StoredChoiceAxis } from '../../../lib/metricas/axes/stored-choice-axis.js';
import { MetricaRegistry } from '../../../lib/metricas/metrica.registry.js';
import { PrometheusService } from '../../../lib/prometheus/prometheus.service.js';
import { MemorySouvenirsStore } from '../../../lib/store/memory/memory-souvenirs.store.js';
import { metricaOptions } from '../../integration/metricas/contract/harness.js';

// The cases of issue 17 ("Prometheus names collide"), one by one.
describe('one name, one series', () => {
  const stores: MemorySouvenirsStore[] = [];
  const registryOn = () => {
    const store = new MemorySouvenirsStore();
    stores.push(store);
    return { store, registry: new MetricaRegistry(store, ...metricaOptions({ kickBuffer: { flushIntervalMs: 0 } })) };
  };
  afterEach(() => stores.splice(0).forEach((store) => store.onModuleDestroy()));

  it.each([
    ['dup.name', 'dup_name', false, false],
    ['dup_name', 'dup-name', false, false],
    ['dup-name', 'dup/name', false, false],
    ['café', 'cafè', false, false],
    ['x', 'x_total', false, true],
    ['x_total', 'x', true, false],
    ['response_time_seconds', 'response_time', true, true],
  ])('refuses %j beside %j, naming both', (first, second, firstAveraged, secondAveraged) => {
    const { registry } = registryOn();
    registry.define({ name: first, averaged: firstAveraged });
    const define = () => registry.define({ name: second, averaged: secondAveraged });
    expect(define).toThrow(InvalidMetricaDefinitionError);
    expect(define).toThrow(new RegExp(`metrica ${JSON.stringify(second)}.*metrica ${JSON.stringify(first)}`.replaceAll('.', '\\.').replaceAll('\\.*', '.*')));
    expect(registry.list().map((metrica) => metrica.name)).toEqual([first]);
  });

  it('refuses a name that is another in a second Unicode form, and keeps names that only look alike apart', () => {
    const { registry } = registryOn();
    registry.define({ name: '\u00C5ngstr\u00F6m' });
    expect(() => registry.define({ name: '\u212Bngstr\u00F6m' })).toThrow(/another Unicode form/);
    // A counter `x_sum` and an averaged `x` write different names: both are kept.
    registry.define({ name: 'x_sum' });
    registry.define({ name: 'x', averaged: true });
  });

  it.each([
    [['a-b', 'a_b'], /axes "a-b" and "a_b" would both be the Prometheus label `a_b`/],
    [['le', 'axis_le'], /axes "le" and "axis_le" would both be the Prometheus label `axis_le`/],
    [['_', '-'], /axes "_" and "-"/],
    [['caf\u00E9', 'cafe\u0301'], /two Unicode forms/],
    [['\uD800'], /lone surrogate/],
    [['\uD800', '\uDC00'], /lone surrogate/],
  ])('refuses axes %j', (axes, reason) => {
    const { registry } = registryOn();
    const define = () => registry.define({ name: 'm', axes: Object.fromEntries(axes.map((axis) => [axis, new StoredChoiceAxis()])) });
    expect(define).toThrow(InvalidMetricaDefinitionError);
    expect(define).toThrow(reason);
  });

  it("exports '\\uD800', '\\uDC00' and '\\uFFFD' as three series, each readable back", async () => {
    const { store, registry } = registryOn();
    const metrica = registry.define({ name: 'refs', axes: { ref: new StoredChoiceAxis() } });
    for (const [value, times] of [['\uD800', 1], ['\uDC00', 2], ['\uFFFD', 3], ['a\\\uD800', 4], ['\uD83D\uDE00', 5]] as const) {
      for (let n = 0; n < times; n++) await metrica.kick({ ref: value });
    }
    await registry.flush();
    const text = await new PrometheusService(registry, store, { prometheus: { maxSeries: 100 } }).scrape();
    expect(text.split('\n').filter((line) => line.startsWith('souvenirs_refs_total')).sort()).toEqual(
      [
        'souvenirs_refs_total{ref="__utf16:\\\\uD800"} 1',
        'souvenirs_refs_total{ref="__utf16:\\\\uDC00"} 2',
        'souvenirs_refs_total{ref="\uFFFD"} 3',
        'souvenirs_refs_total{ref="__utf16:a\\\\\\\\\\\\uD800"} 4',
        'souvenirs_refs_total{ref="\uD83D\uDE00"} 5',
      ].sort(),
    );
  });

  it('never writes a label name starting with __, and no real value reads as the maxSeries fold', async () => {
    const { store, registry } = registryOn();
    const metrica = registry.define({ name: 'folded', axes: { _: new StoredChoiceAxis(), 'é_': new StoredChoiceAxis() } });
    for (const [value, times] of [['__other__', 5], ['a', 4], ['b', 1], ['c', 1]] as const) {
      for (let n = 0; n < times; n++) await metrica.kick({ _: value, 'é_': value });
    }
    await registry.flush();
    const text = await new PrometheusService(registry, store, { prometheus: { maxSeries: 3 } }).scrape();
    expect(text).not.toMatch(/[{,]__/);
    expect(text.split('\n').filter((line) => line.startsWith('souvenirs_folded_total')).sort()).toEqual([
      'souvenirs_folded_total{_="___other__",axis___="___other__"} 5',
      'souvenirs_folded_total{_="__other__",axis___="__other__"} 2',
      'souvenirs_folded_total{_="a",axis___="a"} 4',
    ]);
  });
});
