import type { SouvenirsStore } from '../../store/souvenirs-store.interface.js';
import { ALL_TOKEN, PART_SEPARATOR, decodeToken, parentToken, splitField } from '../axes/axis-encoding.js';
import type { AxisValue } from '../axes/axis-value.js';
import { ALL_TIME_BUCKET } from '../definition/metrica-buckets.js';
import type { ResolvedMetricaDefinition } from '../definition/metrica-definition.js';
import { MetricaKeys } from '../definition/metrica-keys.js';
import { eventLoopPacer } from '../../shared/yield-to-event-loop.js';

/**
 * The all-time counters of one exact axis combination: events kicked with exactly
 * these values (`undefined` where a kick left the axis out), not the roll-ups
 * ("all values", a hierarchical path's parents) every kick also counts under.
 *
 * @internal
 */
export interface CombinationCounters {
  /** One value per axis, in axis order. */
  readonly values: ReadonlyArray<AxisValue | undefined>;
  /** The summed values, divided back by the multiplier. */
  sum: number;
  /** Events counted (averaged or histogram metricas; else 0). */
  count: number;
  /** Events per histogram bucket, not cumulative (`bounds + 1` entries; empty without a histogram). */
  readonly buckets: number[];
}

/**
 * Reads a metrica's all-time counters as exact combinations, in at most four
 * store calls (values, counts, histogram hashes, read together), yielding to the
 * event loop between chunks of fields.
 *
 * Every kick counts under each combination of (all, its value) per axis, so a
 * combination's exact counters are its counters minus those of its children along
 * each axis in turn (inclusion-exclusion): what remains is what was kicked with
 * exactly those values. Histogram cells are kept for exact combinations only
 * (earlier versions wrote them for every combination: those are subtracted as
 * the others). Combinations with nothing left are dropped.
 *
 * @internal
 */
export async function readMetricaSnapshot(definition: ResolvedMetricaDefinition, store: SouvenirsStore): Promise<CombinationCounters[]> {
  const keys = new MetricaKeys(definition.name);
  const width = definition.histogram ? definition.histogram.length + 1 : 0;
  const [values, counts, histogram, exactHistogram] = await Promise.all([
    store.readHash(keys.values(ALL_TIME_BUCKET)),
    definition.averaged ? store.readHash(keys.counts(ALL_TIME_BUCKET)) : Promise.resolve([]),
    width > 0 ? store.readHash(keys.histogram(ALL_TIME_BUCKET)) : Promise.resolve([]),
    width > 0 ? store.readHash(keys.exactHistogram(ALL_TIME_BUCKET)) : Promise.resolve([]),
  ]);
  const axes = definition.axes.length;
  // One vector per combination field: [sum, count, bucket 0, bucket 1, …].
  const vectors = new Map<string, number[]>();
  const vectorOf = (field: string): number[] => {
    let vector = vectors.get(field);
    if (!vector) vectors.set(field, (vector = new Array<number>(2 + width).fill(0)));
    return vector;
  };
  const pace = eventLoopPacer();
  for (const [field, value] of values) {
    vectorOf(field)[0] += value;
    const turn = pace();
    if (turn) await turn;
  }
  for (const [field, value] of counts) {
    vectorOf(field)[1] += value;
    const turn = pace();
    if (turn) await turn;
  }
  for (const [field, value] of histogram) {
    const cell = MetricaKeys.histogramCell(field, width);
    if (cell) vectorOf(cell.combination)[2 + cell.index] += value;
    const turn = pace();
    if (turn) await turn;
  }

  // Subtract each combination's children, one axis at a time.
  const parts = new Map<string, string[]>();
  for (const field of vectors.keys()) {
    parts.set(field, axes === 0 ? [] : splitField(field));
    const turn = pace();
    if (turn) await turn;
  }
  for (let axis = 0; axis < axes; axis++) {
    const childSums = new Map<string, number[]>();
    for (const [field, vector] of vectors) {
      const own = parts.get(field)!;
      const parent = own.length === axes ? parentToken(own[axis]) : undefined;
      if (parent === undefined) continue;
      const parentField = [...own.slice(0, axis), parent, ...own.slice(axis + 1)].join(PART_SEPARATOR);
      const sum = childSums.get(parentField);
      if (sum) vector.forEach((number, at) => (sum[at] += number));
      else childSums.set(parentField, [...vector]);
      const turn = pace();
      if (turn) await turn;
    }
    for (const [field, sum] of childSums) {
      const vector = vectors.get(field);
      if (vector) sum.forEach((number, at) => (vector[at] -= number));
      const turn = pace();
      if (turn) await turn;
    }
  }

  // Histogram cells of exact combinations (what kicks write now) need no subtraction.
  for (const [field, value] of exactHistogram) {
    const cell = MetricaKeys.histogramCell(field, width);
    if (cell) {
      vectorOf(cell.combination)[2 + cell.index] += value;
      if (!parts.has(cell.combination)) parts.set(cell.combination, axes === 0 ? [] : splitField(cell.combination));
    }
    const turn = pace();
    if (turn) await turn;
  }

  const combinations: CombinationCounters[] = [];
  const scale = definition.multiplier;
  for (const [field, vector] of vectors) {
    const turn = pace();
    if (turn) await turn;
    if (vector.every((number) => number === 0)) continue;
    const own = parts.get(field)!;
    if (own.length !== axes) continue;
    const decoded = own.map((token) => (token === ALL_TOKEN ? undefined : decodeToken(token)));
    if (decoded.some((value, at) => value === undefined && own[at] !== ALL_TOKEN)) continue;
    const buckets = vector.slice(2);
    const count = definition.averaged ? vector[1] : buckets.reduce((total, events) => total + events, 0);
    combinations.push({ values: decoded, sum: scale === 1 ? vector[0] : vector[0] / scale, count, buckets });
  }
  return combinations;
}
