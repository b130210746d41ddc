import { DateTime } from 'luxon';
import { InvalidMetricaValueError } from '../../errors/invalid-metrica-value.error.js';
import { UnknownAxisError } from '../../errors/unknown-axis.error.js';
import { assertValidDate } from '../../calendar/time-zone.js';
import { fieldProduct } from '../axes/axis-encoding.js';
import type { AxisKickParts } from '../axes/axis-value.js';
import type { KickCells } from './kick-buffer.js';
import type { PlannedChoice } from '../axes/known-choices.js';
import { ALL_TIME_BUCKET, bucketId } from '../definition/metrica-buckets.js';
import type { ResolvedMetricaDefinition } from '../definition/metrica-definition.js';
import { MetricaKeys } from '../definition/metrica-keys.js';
import { histogramBucketIndex } from '../definition/histogram-buckets.js';

/** The histogram cells of a kick: each combination's field with the kick's bucket index. */
function histogramFieldsOf(fields: readonly string[], index: number): string[] {
  return fields.map((field) => MetricaKeys.histogramField(field, index));
}

/** What one kick writes: its cells, and the set members it needs stored first. @internal */
export interface KickPlan {
  readonly groups: readonly KickCells[];
  readonly choices: readonly PlannedChoice[];
}

/** The keys one minute's kicks write, computed once per minute. */
interface MinuteBuckets {
  readonly minute: number;
  /** `histogram` absent for a scale whose histogram cells are summed from a finer one's. */
  readonly keys: ReadonlyArray<{ readonly values: string; readonly counts: string; readonly histogram: string | undefined; readonly ttlSeconds: number | undefined }>;
  readonly year: number;
}

/**
 * Turns a kick into its counter cells: every combination of (all, the value) per
 * axis — all prefixes for a hierarchical axis — in the all-time bucket and every
 * kept date scale, plus the count cells of an averaged metrica and the histogram
 * cells (all-time and the histogram's own scales). Checks everything
 * first, so a bad kick throws before anything is planned.
 *
 * @internal
 */
export class KickPlanner {
  private readonly axisNames: readonly string[];
  private cached: MinuteBuckets | undefined;

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
    if (options !== undefined && (typeof options !== 'object' || options === null)) {
      throw new InvalidMetricaValueError(metrica, options, 'kick options are an object { value?, date? }');
    }
    const { value = 1, date } = (options ?? {}) as { value?: unknown; date?: unknown };
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidMetricaValueError(metrica, value);
    const by = Math.round(value * definition.multiplier);
    if (!Number.isSafeInteger(by)) {
      throw new InvalidMetricaValueError(metrica, value, `× multiplier ${definition.multiplier} it exceeds what a counter holds exactly (±${Number.MAX_SAFE_INTEGER})`);
    }
    const when = date === undefined ? this.now() : date;
    assertValidDate('date', when);

    const parts: AxisKickParts[] = definition.axes.map(([name, axis]) => axis.encodeKick(given[name], { metrica, axis: name }));
    const buckets = this.bucketsOf(when);
    const fields = fieldProduct(parts.map((axis) => axis.parts));
    const groups: KickCells[] = [];
    // A histogram counts the kick in one more cell per combination: its bucket's.
    const histogramFields = definition.histogram ? histogramFieldsOf(fields, histogramBucketIndex(definition.histogram, value)) : undefined;
    for (const { values, counts, histogram, ttlSeconds } of buckets.keys) {
      groups.push({ key: values, ttlSeconds, fields, by });
      if (definition.averaged) groups.push({ key: counts, ttlSeconds, fields, by: 1 });
      if (histogramFields && histogram !== undefined) groups.push({ key: histogram, ttlSeconds, fields: histogramFields, by: 1 });
    }

    let choices: PlannedChoice[] | undefined;
    parts.forEach((axis, index) => {
      if (axis.choices.length === 0) return;
      const name = this.axisNames[index];
      choices ??= [];
      for (const { set, member, maxChoices, value: choiceValue } of axis.choices) {
        choices.push({ key: this.keys.choices(name, set), member, maxChoices, axis: name, value: choiceValue });
      }
    });
    if (definition.kept.has('year')) {
      (choices ??= []).push({ key: this.keys.years(), member: String(buckets.year), maxChoices: undefined, axis: null, value: buckets.year });
    }
    return { groups, choices: choices ?? [] };
  }

  /** The keys of the buckets `date` falls in; every instant of one UTC minute shares them. */
  private bucketsOf(date: Date): MinuteBuckets {
    const minute = Math.floor(date.getTime() / 60_000);
    if (this.cached?.minute === minute) return this.cached;
    const { definition, keys } = this;
    const local = DateTime.fromMillis(minute * 60_000, { zone: this.timeZone });
    const bucketKeys: Array<MinuteBuckets['keys'][number]> = [
      { values: keys.values(ALL_TIME_BUCKET), counts: keys.counts(ALL_TIME_BUCKET), histogram: keys.histogram(ALL_TIME_BUCKET), ttlSeconds: undefined },
    ];
    for (const scale of definition.scales) {
      const id = bucketId(scale, local);
      const histogram = definition.histogramScales.has(scale) ? keys.histogram(id) : undefined;
      bucketKeys.push({ values: keys.values(id), counts: keys.counts(id), histogram, ttlSeconds: definition.ttls[scale] });
    }
    this.cached = { minute, keys: bucketKeys, year: local.year };
    return this.cached;
  }
}
