import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { spawnSync } from 'node:child_process';
import { InvalidMetricaDefinitionError } from '../../../lib/errors/invalid-metrica-definition.error.js';
import { StoredChoiceAxis } from '../../../lib/metricas/axes/stored-choice-axis.js';
import type { MetricaDefinition } from '../../../lib/metricas/definition/metrica-definition.interface.js';
import { MetricaRegistry } from '../../../lib/metricas/metrica.registry.js';
import { PrometheusService } from '../../../lib/prometheus/prometheus.service.js';
import { MemorySouvenirsStore } from '../../../lib/store/memory/memory-souvenirs.store.js';
import { RedisSouvenirsStore } from '../../../lib/store/redis/redis-souvenirs.store.js';
import type { SouvenirsStore } from '../../../lib/store/souvenirs-store.interface.js';
import { metricaOptions } from '../metricas/contract/harness.js';
import { deleteKeysWithPrefix, randomKeyPrefix } from '../../support/redis-test-keys.js';

// One name, one series, over hostile metrica names, axis names and values (unicode,
// punctuation, lone surrogates, long strings): whatever define() and kick() accept, the
// exposition passes `promtool check metrics` and every series reads back to the exact
// count (lone surrogates escaped distinctly); whatever define() refuses, it refuses with
// a typed error, and exactly what a brute-force model of Prometheus' names says collides.

// ── The model ──
const NAME = /^[\p{L}\p{N}_.:/-]{1,200}$/u;
const LONE = /\p{Cs}/u;
const metricName = (name: string) => `souvenirs_${[...name].map((c) => (/^[a-zA-Z0-9_:]$/.test(c) ? c : '_'.repeat(c.length))).join('')}`;
const labelName = (axis: string) => {
  const name = axis.replace(/[^a-zA-Z0-9_]/g, '_');
  return name === '' || /^\d/.test(name) || name.startsWith('__') || name === 'le' || name === 'quantile' ? `axis_${name}` : name;
};
type Kind = 'counter' | 'summary' | 'histogram';
const namesOf = (name: string, kind: Kind): string[] => {
  const family = metricName(name) + (name === 'response_time' ? '_seconds' : '');
  if (kind === 'counter') return [`${family}_total`];
  return kind === 'summary' ? [family, `${family}_sum`, `${family}_count`] : [family, `${family}_bucket`, `${family}_sum`, `${family}_count`];
};
/** A label text: one more `_` before a leading `__`; a text with a lone surrogate, which UTF-8 cannot carry, escaped under `__utf16:`. */
const labelText = (value: string): string => {
  if (!LONE.test(value)) return value.startsWith('__') ? `_${value}` : value;
  let escaped = '';
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    const pair = unit >= 0xd800 && unit < 0xdc00 && i + 1 < value.length && value.charCodeAt(i + 1) >= 0xdc00 && value.charCodeAt(i + 1) < 0xe000;
    if (pair) escaped += value.slice(i, ++i + 1);
    else if (unit >= 0xd800 && unit < 0xe000) escaped += `\\u${unit.toString(16).toUpperCase()}`;
    else escaped += value[i] === '\\' ? '\\\\' : value[i];
  }
  return `__utf16:${escaped}`;
};

// ── Hostile inputs ──
const pieces = fc.constantFrom('dup.name', 'dup_name', 'dup-name', 'dup/name', 'café', 'cafè', 'cafe\u0301', 'x', 'x_total', 'x_sum', 'le', 'quantile', '__name__', '_', 'é_', '1st', 'Å', '\u212B', '\uD800', '\uDC00', '\uFFFD', '__other__', 'a"b', 'a\\b', 'a\nb', '{}', ' ', '=', 'ok');
const hostileText = fc.oneof(
  { weight: 3, arbitrary: fc.array(pieces, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('')) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 190, maxLength: 260 }) },
);
const spec = fc.record({
  name: hostileText,
  kind: fc.constantFrom<Kind>('counter', 'summary', 'histogram'),
  // Distinct: a definition's axes are an object's keys, so a repeated name could never reach define().
  axes: fc.uniqueArray(hostileText, { maxLength: 3 }),
});
const kick = fc.record({ metrica: fc.nat(5), values: fc.array(hostileText, { minLength: 3, maxLength: 3 }), value: fc.integer({ min: 1, max: 5 }) });

/**
 * promtool's lint notes on a name's style, which come from the name a user chose (Prometheus
 * ingests such series all the same): everything else it reports, a parse error above all
 * ("second HELP line"), or a `le` or `quantile` label out of place, fails the property.
 */
const STYLE_NOTES = [
  /metric names should not contain ':'$/,
  /metric names should not contain abbreviated units$/,
  /should be written in 'snake_case' not 'camelCase'$/,
  /metric name should not include type '\w+'$/,
  /use base unit "\w+" instead of "\w+"$/,
  /non-counter metrics should not have "_total" suffix$/,
  /non-histogram metrics should not have "_bucket" suffix$/,
];

/** Whether promtool accepted the exposition: no problem, or only notes on a chosen name's style. */
function promtoolAccepts({ code, output }: { code: number | null; output: string }): boolean {
  if (code === 0) return true;
  const lines = output.split('\n').filter((line) => line !== '');
  return code === 3 && lines.every((line) => STYLE_NOTES.some((note) => note.test(line)));
}

function promtool(exposition: string): { code: number | null; output: string } {
  const run = spawnSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  if (run.error) throw run.error;
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

/** The samples of an exposition: `name{label="value",…}` (labels sorted) → value. */
function parseExposition(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)![0];
    let i = name.length;
    const labels: [string, string][] = [];
    if (line[i] === '{') {
      i++;
      while (line[i] !== '}') {
        const eq = line.indexOf('=', i);
        const label = line.slice(i, eq);
        i = eq + 2; // past ="
        let value = '';
        while (line[i] !== '"') {
          if (line[i] === '\\') {
            value += line[i + 1] === 'n' ? '\n' : line[i + 1];
            i += 2;
          } else value += line[i++];
        }
        i++;
        if (line[i] === ',') i++;
        labels.push([label, value]);
      }
      i++;
    }
    const key = `${name}${JSON.stringify(labels.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))}`;
    expect(samples.has(key)).toBe(false);
    samples.set(key, Number(line.slice(i + 1)));
  }
  return samples;
}

const sampleKey = (name: string, labels: [string, string][]) => `${name}${JSON.stringify([...labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))}`;

describe.each([
  ['memory', async (): Promise<SouvenirsStore> => new MemorySouvenirsStore()],
  ['Redis', async (): Promise<SouvenirsStore> => new RedisSouvenirsStore({ redis: redis!, keyPrefix: `${prefix}-${next++}` })],
] as const)('Prometheus names and values on the %s store', (_, openStore) => {
  it('pass promtool and read back exactly, or are refused with a typed error the model predicts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(spec, { minLength: 1, maxLength: 5 }), fc.array(kick, { maxLength: 8 }), async (specs, kicks) => {
        const store = await openStore();
        const registry = new MetricaRegistry(store, ...metricaOptions({ kickBuffer: { flushIntervalMs: 0 } }));
        const taken = new Set<string>();
        const forms = new Set<string>();
        const defined: { name: string; kind: Kind; axes: string[]; labels: string[] }[] = [];
        for (const { name, kind, axes } of specs) {
          const labels = axes.map(labelName);
          const forms2 = axes.map((axis) => axis.normalize('NFC'));
          const refusable =
            !NAME.test(name) ||
            axes.some((axis) => axis === '' || LONE.test(axis)) ||
            new Set(labels).size < labels.length ||
            new Set(forms2).size < forms2.length ||
            (forms.has(name.normalize('NFC')) && !defined.some((d) => d.name === name)) ||
            namesOf(name, kind).some((exposed) => taken.has(exposed));
          const definition: MetricaDefinition = {
            name,
            axes: Object.fromEntries(axes.map((axis) => [axis, new StoredChoiceAxis()])),
            averaged: kind !== 'counter',
            ...(kind === 'histogram' ? { histogram: { buckets: [1, 3] } } : {}),
          };
          let refused: unknown;
          try {
            registry.define(definition);
          } catch (error) {
            refused = error;
          }
          // An identical definition under a name taken is the same metrica, a different one is refused.
          const same = defined.find((d) => d.name === name);
          if (same) {
            expect(refused === undefined).toBe(same.kind === kind && JSON.stringify(same.axes) === JSON.stringify(axes));
            continue;
          }
          if (refused !== undefined) expect(refused).toBeInstanceOf(InvalidMetricaDefinitionError);
          expect({ name, axes, kind, refused: refused !== undefined }).toEqual({ name, axes, kind, refused: refusable });
          if (refused) continue;
          defined.push({ name, kind, axes: Object.keys(definition.axes!), labels });
          for (const exposed of namesOf(name, kind)) taken.add(exposed);
          forms.add(name.normalize('NFC'));
        }
        // The model: per series (labels as texts), the number of kicks and the sum of values.
        const expected = new Map<string, { count: number; sum: number; le1: number; le3: number }>();
        for (const { metrica, values, value } of kicks) {
          if (defined.length === 0) break;
          const target = defined[metrica % defined.length];
          const axes = Object.fromEntries(target.axes.map((axis, i) => [axis, values[i]]));
          const outcome = await registry.get(target.name).kick(axes, { value }).then(
            () => undefined,
            (error: unknown) => error,
          );
          // Every text is a value a StoredChoiceAxis keeps, lone surrogates included (its keys escape them).
          expect(outcome).toBeUndefined();
          const key = JSON.stringify([target.name, target.axes.map((_, i) => labelText(values[i]))]);
          const series = expected.get(key) ?? { count: 0, sum: 0, le1: 0, le3: 0 };
          series.count += 1;
          series.sum += value;
          if (value <= 1) series.le1 += 1;
          if (value <= 3) series.le3 += 1;
          expected.set(key, series);
        }
        await registry.flush();
        const service = new PrometheusService(registry, store, { prometheus: { maxSeries: 10_000 } });
        const exposition = await service.scrape();
        const lint = promtool(exposition);
        expect({ accepted: promtoolAccepts(lint), output: lint.output, exposition }).toMatchObject({ accepted: true });
        // Read back as Prometheus reads it: UTF-8 bytes, where a lone surrogate would be U+FFFD.
        const samples = parseExposition(Buffer.from(exposition, 'utf8').toString('utf8'));
        const model = new Map<string, number>();
        for (const [key, { count, sum, le1, le3 }] of expected) {
          const [name, texts] = JSON.parse(key) as [string, string[]];
          const target = defined.find((d) => d.name === name)!;
          const labels = target.labels.map((label, i): [string, string] => [label, texts[i]]);
          const family = metricName(name);
          if (target.kind === 'counter') model.set(sampleKey(`${family}_total`, labels), sum);
          else {
            model.set(sampleKey(`${family}_sum`, labels), sum);
            model.set(sampleKey(`${family}_count`, labels), count);
          }
          if (target.kind === 'histogram') {
            for (const [le, n] of [['1', le1], ['3', le3], ['+Inf', count]] as const) model.set(sampleKey(`${family}_bucket`, [...labels, ['le', le]]), n);
          }
        }
        expect(samples).toEqual(model);
        await registry.onApplicationShutdown();
        if (store instanceof MemorySouvenirsStore) store.onModuleDestroy();
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 100) },
    );
  }, 120_000);
});

let redis: Redis | undefined;
let prefix = '';
let next = 0;
beforeAll(() => {
  redis = new Redis({ host: '127.0.0.1', port: 6379 });
  prefix = randomKeyPrefix('prom-names');
});
afterAll(async () => {
  await deleteKeysWithPrefix(redis!, prefix);
  await redis?.quit();
});
