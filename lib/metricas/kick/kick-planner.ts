import { DateTime } from 'luxon';
import { InvalidMetricaValueError } from '../../errors/invalid-metrica-value.error.js';
import { UnknownAxisError } from '../../errors/unknown-axis.error.js';
import { assertValidDate } from '../../calendar/time-zone.js';
import { fieldProduct } from '../axes/axis-encoding.js';
import type { KickGroup, KickTargets } from './kick-buffer.js';
import type { PlannedChoice } from '../axes/known-choices.js';
import { ALL_TIME_BUCKET, bucketId } from '../definition/metrica-buckets.js';
import type { ResolvedMetricaDefinition } from '../definition/metrica-definition.js';
import { MetricaKeys } from '../definition/metrica-keys.js';
import { histogramBucketIndex } from '../definition/histogram-buckets.js';

/** What one kick writes: its cells, and the set members it needs stored first. @internal */
export interface KickPlan {
  readonly groups: readonly KickGroup[];
  readonly choices: readonly PlannedChoice[];
}

/** The keys one minute's kicks write, computed once per minute. */
interface MinuteBuckets {
  readonly minute: number;
  /** The sums' hashes (all-time and every kept scale). */
  readonly values: KickTargets;
  /** The event counts' hashes (averaged metricas). */
  readonly counts: KickTargets;
  /** The histogram's exact-combination hashes: all-time and the histogram's scales only. */
  readonly histogram: KickTargets;
  /** The member of the set of years seen (metricas keeping years). */
  readonly year: PlannedChoice | undefined;
}

/** One combination of axis values, encoded once: its fields, histogram fields and set members. */
interface EncodedCombination {
  readonly fields: readonly string[];
  /** Per histogram bucket index, its exact combination's cell field (built on first use). */
  readonly histogramFields: Array<readonly string[] | undefined>;
  /** The set members its axes need (stored and hierarchical axes). */
  readonly choices: readonly PlannedChoice[];
  /** `choices` plus a minute's year member, for the last `year` seen. */
  withYear?: { readonly year: PlannedChoice; readonly choices: readonly PlannedChoice[] };
}

/** Most combinations a planner remembers before it starts over (each a few strings). */
const MAX_REMEMBERED_COMBINATIONS = 10_000;

const NO_CHOICES: readonly PlannedChoice[] = Object.freeze([]);

/**
 * Turns a kick into its counter cells: every combination of (all, the value) per
 * axis — all prefixes for a hierarchical axis — in the all-time bucket and every
 * kept date scale, plus the count cells of an averaged metrica and the histogram
 * cell of the exact combination (all-time and the histogram's own scales). Checks everything
 * first, so a bad kick throws before anything is planned.
 *
 * Kicks repeat: the keys of a minute and the fields of a combination of scalar
 * axis values are built once and reused (the same strings, so the buffer's maps
 * need not hash them again), up to {@link MAX_REMEMBERED_COMBINATIONS}.
 *
 * @internal
 */
export class KickPlanner {
  private readonly axisNames: readonly string[];
  private cached: MinuteBuckets | undefined;
  /** Combinations by their axis values, one nested map level per axis. */
  private combinations = new Map<unknown, unknown>();
  private remembered = 0;

  constructor(
    private readonly definition: ResolvedMetricaDefinition,
    private readonly keys: MetricaKeys,
    private readonly timeZone: string,
    private readonly now: () => Date,
  ) {
    this.axisNames = definition.axes.map(([name]) => name);
  }

  /**
   * @throws UnknownAxisError, InvalidAxisValueError, InvalidMetricaValueError, InvalidDateError
   */
  plan(axes: unknown, options: unknown): KickPlan {
    const { definition } = this;
    const metrica = definition.name;
    if (axes !== undefined && axes !== null && (typeof axes !== 'object' || Array.isArray(axes))) {
      throw new InvalidMetricaValueError(metrica, axes, 'the axes of a kick are an object such as { gender: "girl" }');
    }
    const given = (axes ?? {}) as Record<string, unknown>;
    for (const name in given) {
      if (!definition.axisIndex.has(name)) throw new UnknownAxisError(metrica, name, this.axisNames);
    }
    let value: unknown = 1;
    let date: unknown;
    if (options !== undefined) {
      if (typeof options !== 'object' || options === null) {
        throw new InvalidMetricaValueError(metrica, options, 'kick options are an object { value?, date? }');
      }
      ({ value = 1, date } = options as { value?: unknown; date?: unknown });
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidMetricaValueError(metrica, value);
    const by = Math.round(value * definition.multiplier);
    if (!Number.isSafeInteger(by)) {
      throw new InvalidMetricaValueError(metrica, value, `× multiplier ${definition.multiplier} it exceeds what a counter holds exactly (±${Number.MAX_SAFE_INTEGER})`);
    }
    const when = date === undefined ? this.now() : date;
    assertValidDate('date', when);

    const combination = this.combinationOf(given);
    const buckets = this.bucketsOf(when);
    const groups: KickGroup[] = [{ targets: buckets.values, fields: combination.fields, by }];
    if (definition.averaged) groups.push({ targets: buckets.counts, fields: combination.fields, by: 1 });
    if (definition.histogram) {
      // A histogram counts the kick in one more cell, its bucket's, of its exact
      // combination only (the last field: every axis at its value, a path at its
      // full depth); roll-ups are summed from exact combinations when read, so
      // 8 combinations of 3 axes cost 1 cell, not 8.
      const index = histogramBucketIndex(definition.histogram, value);
      const fields = (combination.histogramFields[index] ??= [MetricaKeys.histogramField(combination.fields[combination.fields.length - 1], index)]);
      groups.push({ targets: buckets.histogram, fields, by: 1 });
    }
    return { groups, choices: this.choicesOf(combination, buckets.year) };
  }

  /** The combination of the kick's axis values: remembered when every value is a scalar. */
  private combinationOf(given: Record<string, unknown>): EncodedCombination {
    const { axes } = this.definition;
    let level = this.combinations;
    for (let index = 0; index < axes.length; index++) {
      const value = given[axes[index][0]];
      // Paths (arrays) and objects are encoded every time: their identity says nothing of their content.
      if (typeof value === 'object' && value !== null) return this.encode(given);
      const next = level.get(value);
      if (next === undefined) return this.remember(given);
      level = next as Map<unknown, unknown>;
    }
    return (axes.length === 0 ? (level.get(undefined) as EncodedCombination | undefined) : (level as unknown as EncodedCombination)) ?? this.remember(given);
  }

  /** Encodes (and checks) a combination, then files it under its values. */
  private remember(given: Record<string, unknown>): EncodedCombination {
    const combination = this.encode(given);
    if (this.remembered >= MAX_REMEMBERED_COMBINATIONS) {
      this.combinations = new Map();
      this.remembered = 0;
    }
    const { axes } = this.definition;
    let level = this.combinations;
    if (axes.length === 0) {
      level.set(undefined, combination);
    } else {
      for (let index = 0; index < axes.length - 1; index++) {
        const value = given[axes[index][0]];
        let next = level.get(value) as Map<unknown, unknown> | undefined;
        if (!next) level.set(value, (next = new Map()));
        level = next;
      }
      level.set(given[axes[axes.length - 1][0]], combination);
    }
    this.remembered++;
    return combination;
  }

  /** @throws InvalidAxisValueError */
  private encode(given: Record<string, unknown>): EncodedCombination {
    const { definition, keys } = this;
    const metrica = definition.name;
    const parts = definition.axes.map(([name, axis]) => axis.encodeKick(given[name], { metrica, axis: name }));
    const choices: PlannedChoice[] = [];
    parts.forEach((axis, index) => {
      const name = this.axisNames[index];
      for (const { set, member, maxChoices, value } of axis.choices) choices.push({ key: keys.choices(name, set), member, maxChoices, axis: name, value });
    });
    return {
      fields: fieldProduct(parts.map((axis) => axis.parts)),
      histogramFields: [],
      choices: choices.length > 0 ? choices : NO_CHOICES,
    };
  }

  /** The combination's set members, with the year's when years are kept (one array per combination and year). */
  private choicesOf(combination: EncodedCombination, year: PlannedChoice | undefined): readonly PlannedChoice[] {
    if (!year) return combination.choices;
    if (combination.withYear?.year !== year) combination.withYear = { year, choices: [...combination.choices, year] };
    return combination.withYear.choices;
  }

  /** The keys of the buckets `date` falls in; every instant of one UTC minute shares them. */
  private bucketsOf(date: Date): MinuteBuckets {
    const minute = Math.floor(date.getTime() / 60_000);
    if (this.cached?.minute === minute) return this.cached;
    const { definition, keys } = this;
    const local = DateTime.fromMillis(minute * 60_000, { zone: this.timeZone });
    const values: Array<KickTargets[number]> = [{ key: keys.values(ALL_TIME_BUCKET), ttlSeconds: undefined }];
    const counts: Array<KickTargets[number]> = [{ key: keys.counts(ALL_TIME_BUCKET), ttlSeconds: undefined }];
    const histogram: Array<KickTargets[number]> = [{ key: keys.exactHistogram(ALL_TIME_BUCKET), ttlSeconds: undefined }];
    for (const scale of definition.scales) {
      const id = bucketId(scale, local);
      const ttlSeconds = definition.ttls[scale];
      values.push({ key: keys.values(id), ttlSeconds });
      counts.push({ key: keys.counts(id), ttlSeconds });
      if (definition.histogramScales.has(scale)) histogram.push({ key: keys.exactHistogram(id), ttlSeconds });
    }
    const year = definition.kept.has('year')
      ? { key: keys.years(), member: String(local.year), maxChoices: undefined, axis: null, value: local.year }
      : undefined;
    this.cached = { minute, values, counts, histogram, year };
    return this.cached;
  }
}
