import { InvalidRangeError } from '../../errors/invalid-range.error.js';
import { InvalidQuantileError } from '../../errors/invalid-quantile.error.js';
import { UnknownAxisError } from '../../errors/unknown-axis.error.js';
import { UnsupportedMetricaQueryError } from '../../errors/unsupported-metrica-query.error.js';
import { assertValidDate } from '../../calendar/time-zone.js';
import type { SouvenirsStore } from '../../store/souvenirs-store.interface.js';
import { ALL_TOKEN, NO_AXES_FIELD, PART_SEPARATOR, childPathTokenAffix, decodeSegment, pathToken, unescapeText } from '../axes/axis-encoding.js';
import type { Axis } from '../axes/axis.js';
import type { AxisPath, AxisValue } from '../axes/axis-value.js';
import { HierarchicalAxis } from '../axes/hierarchical-axis.js';
import { readHistogramMembers, readHistogramPoints, type HistogramLayout } from './histogram-reads.js';
import { histogramReadableScales } from '../definition/histogram-cell-buckets.js';
import { cumulativeBuckets, histogramQuantile } from './histogram-quantile.js';
import {
  ALL_TIME,
  defaultTimeserieScale,
  nextScalePoints,
  notKept,
  resolveTimespan,
  timeseriePoints,
  timespanBuckets,
  type ResolvedTimespan,
} from '../definition/metrica-buckets.js';
import { SCALES, type ResolvedMetricaDefinition } from '../definition/metrica-definition.js';
import type { AxisMap, Scale } from '../definition/metrica-definition.interface.js';
import type { MetricaKeys } from '../definition/metrica-keys.js';
import { readMemberPoints, yearPoints, type ListedSums, type MemberPoints } from './member-points.js';
import { compareSegments, compareText, readPoints, type Point, type PointSums } from './metrica-points.js';
import type { AxisKeyOf, AxisName, FilterAxes, Timespan } from '../definition/metrica-types.js';
import { StoredChoiceAxis } from '../axes/stored-choice-axis.js';

/** What queries of one metrica need. @internal */
export interface MetricaQueryContext {
  readonly definition: ResolvedMetricaDefinition;
  readonly keys: MetricaKeys;
  readonly store: SouvenirsStore;
  readonly timeZone: string;
}

/** A query's filter: the values given, and the field part of every axis. */
interface FilterState {
  readonly values: Readonly<Record<string, AxisValue>>;
  readonly tokens: readonly string[];
}

/**
 * An immutable query on a metrica: a timespan (one date bucket, default all time)
 * and a filter (a value per axis, default all values). `timespan()` and `filter()`
 * return new queries; the others read the store.
 *
 * Every read is ONE store call, a time series of N buckets included: `readCounters`,
 * or, to iterate a `StoredChoiceAxis` or `HierarchicalAxis`, or the years, a
 * `readCountersOfMembers` that reads the stored set and its members' counters together.
 * Totals are divided back by the metrica's multiplier.
 *
 * @publicApi
 * @example
 * await guests.values().timespan({ year: 2010, month: 2 }).filter({ gender: 'boy' }).iterate('age');
 */
export class MetricaValues<A extends AxisMap = AxisMap> {
  /** @internal Use `metrica.values()`, `metrica.timespan()` or `metrica.filter()`. */
  constructor(
    private readonly context: MetricaQueryContext,
    private readonly span: ResolvedTimespan = ALL_TIME,
    private readonly filters: FilterState = {
      values: {},
      tokens: context.definition.axes.map(() => ALL_TOKEN),
    },
  ) {}

  /** The timespan selected (empty: all time). */
  get timespanFields(): Readonly<Timespan> {
    return this.span.fields;
  }

  /** The axis values selected (absent: all values). */
  get filterValues(): Readonly<Partial<Record<AxisName<A>, AxisValue>>> {
    return this.filters.values as Partial<Record<AxisName<A>, AxisValue>>;
  }

  /**
   * The same query on one date bucket, merged over the current timespan.
   *
   * @throws InvalidTimespanError when a finer field lacks a coarser one, a field is
   *   out of range, or the metrica does not keep that scale.
   */
  timespan(timespan: Timespan): MetricaValues<A> {
    const { definition } = this.context;
    const span = resolveTimespan(definition.name, this.span.fields, timespan, definition.kept);
    return new MetricaValues<A>(this.context, span, this.filters);
  }

  /**
   * The same query narrowed to axis values, merged over the current filter;
   * `null` or `undefined` selects all values of an axis again. A hierarchical axis
   * takes a path prefix (`['a']` totals everything under `a`).
   *
   * @throws UnknownAxisError, InvalidAxisValueError
   */
  filter(filter: FilterAxes<A>): MetricaValues<A> {
    const { definition } = this.context;
    const values: Record<string, AxisValue> = { ...this.filters.values };
    const tokens = [...this.filters.tokens];
    for (const [name, value] of Object.entries(filter ?? {})) {
      const [index, axis] = this.axis(name);
      if (value === null || value === undefined) {
        delete values[name];
        tokens[index] = ALL_TOKEN;
      } else {
        tokens[index] = axis.encodeFilter(value, { metrica: definition.name, axis: name });
        values[name] = value as AxisValue;
      }
    }
    return new MetricaValues<A>(this.context, this.span, { values, tokens });
  }

  /** The sum of the values kicked in this timespan and filter. */
  async total(): Promise<number> {
    const [point] = this.selfPoint();
    return this.scale((await this.read([point], true, false)).values[0]);
  }

  /** How many kicks were counted (averaged metricas). @throws UnsupportedMetricaQueryError */
  async count(): Promise<number> {
    this.requireAveraged('count()');
    return (await this.read(this.selfPoint(), false, true)).counts[0];
  }

  /** The average value kicked, `null` when there were no kicks (averaged metricas). @throws UnsupportedMetricaQueryError */
  async average(): Promise<number | null> {
    this.requireAveraged('average()');
    const { values, counts } = await this.read(this.selfPoint(), true, true);
    return this.averageOf(values[0], counts[0]);
  }

  /**
   * Totals one level down: without an axis, the next date scale below the timespan
   * (years seen; months 1-12; days of the month; hours 0-23; minutes 0-59; numeric
   * keys, zeros included); with an axis, its values (an `Axis`'s choices in order, a
   * `StoredChoiceAxis`'s stored values sorted as strings, a `HierarchicalAxis`'s
   * paths one level under the filtered path, or its top level).
   *
   * @throws UnknownAxisError, InvalidTimespanError (a scale not kept, or below a minute)
   */
  iterate(): Promise<Array<[number, number]>>;
  iterate<N extends AxisName<A>>(axis: N): Promise<Array<[AxisKeyOf<A[N]>, number]>>;
  async iterate(axis?: string): Promise<Array<[unknown, number]>> {
    return (await this.list(axis, true, false)).map(({ key, value }) => [key, this.scale(value)]);
  }

  /** Like {@link iterate}, with event counts (averaged metricas). @throws UnsupportedMetricaQueryError */
  iterateCounts(): Promise<Array<[number, number]>>;
  iterateCounts<N extends AxisName<A>>(axis: N): Promise<Array<[AxisKeyOf<A[N]>, number]>>;
  async iterateCounts(axis?: string): Promise<Array<[unknown, number]>> {
    this.requireAveraged('iterateCounts()');
    return (await this.list(axis, false, true)).map(({ key, count }) => [key, count]);
  }

  /** Like {@link iterate}, with averages, `null` where nothing was counted (averaged metricas). @throws UnsupportedMetricaQueryError */
  iterateAverages(): Promise<Array<[number, number | null]>>;
  iterateAverages<N extends AxisName<A>>(axis: N): Promise<Array<[AxisKeyOf<A[N]>, number | null]>>;
  async iterateAverages(axis?: string): Promise<Array<[unknown, number | null]>> {
    this.requireAveraged('iterateAverages()');
    return (await this.list(axis, true, true)).map(({ key, value, count }) => [key, this.averageOf(value, count)]);
  }

  /**
   * Totals over time for this filter (the timespan is not used): one point per
   * bucket of `scale`, from the bucket holding `since` through every bucket that
   * starts before `until`, each `[bucket start, total]`. Buckets start on the module
   * time zone's local boundaries (midnight, the first of the month…).
   *
   * Default scale: the finest scale the metrica keeps that gives at most 366
   * points over the range (a day → hours, a month → days, two years → months).
   *
   * @throws InvalidDateError, InvalidRangeError (until before since),
   *   InvalidTimespanError (a scale not kept), RangeTooLargeError (more than
   *   `MAX_TIMESERIE_POINTS`, 10,000 points)
   */
  async timeserie(since: Date, until: Date, scale?: Scale): Promise<Array<[Date, number]>> {
    const points = this.seriesPoints(since, until, scale);
    const { values } = await this.read(points, true, false);
    return points.map((point, index) => [point.key, this.scale(values[index])]);
  }

  /** Like {@link timeserie}, with event counts (averaged metricas). @throws UnsupportedMetricaQueryError */
  async timeserieCounts(since: Date, until: Date, scale?: Scale): Promise<Array<[Date, number]>> {
    this.requireAveraged('timeserieCounts()');
    const points = this.seriesPoints(since, until, scale);
    const { counts } = await this.read(points, false, true);
    return points.map((point, index) => [point.key, counts[index]]);
  }

  /** Like {@link timeserie}: `[bucket start, count, average or null]` (averaged metricas). @throws UnsupportedMetricaQueryError */
  async timeserieCountsAndAverages(since: Date, until: Date, scale?: Scale): Promise<Array<[Date, number, number | null]>> {
    this.requireAveraged('timeserieCountsAndAverages()');
    const points = this.seriesPoints(since, until, scale);
    const { values, counts } = await this.read(points, true, true);
    return points.map((point, index) => [point.key, counts[index], this.averageOf(values[index], counts[index])]);
  }

  /**
   * Cumulative histogram counts: `[le, events with value <= le]` per upper bound,
   * then `[Infinity, every event]` (histogram metricas). One store call,
   * then one hash read per date bucket (roll-ups are summed from exact combinations).
   * @throws UnsupportedMetricaQueryError
   */
  async buckets(): Promise<Array<[le: number, count: number]>> {
    const layout = this.requireHistogram('buckets()');
    const [counts] = await readHistogramPoints(layout, this.selfPoint());
    return cumulativeBuckets(layout.bounds, counts);
  }

  /**
   * The estimated `q` quantile of the values kicked (0.95: p95), interpolated
   * linearly within its histogram bucket as Prometheus' `histogram_quantile`: off
   * by at most that bucket's width; the last bound when it lies above it; `null`
   * when nothing was counted (histogram metricas). One store call,
   * then one hash read per date bucket (roll-ups are summed from exact combinations).
   * @throws UnsupportedMetricaQueryError, InvalidQuantileError (q not in (0, 1))
   */
  async percentile(q: number): Promise<number | null> {
    const layout = this.requireHistogram('percentile()', [q]);
    const [counts] = await readHistogramPoints(layout, this.selfPoint());
    return histogramQuantile(q, layout.bounds, counts);
  }

  /**
   * Like {@link iterate}, with the estimated quantiles `qs` of each key, in the
   * order of `qs` (`null` where nothing was counted). One store call (two for the
   * years seen, when the histogram keeps no year cells), then one hash read per date bucket
   * (roll-ups are summed from exact combinations).
   * @throws UnsupportedMetricaQueryError, InvalidQuantileError, UnknownAxisError
   */
  iteratePercentiles(axis: undefined, qs: readonly number[]): Promise<Array<[number, Array<number | null>]>>;
  iteratePercentiles<N extends AxisName<A>>(axis: N, qs: readonly number[]): Promise<Array<[AxisKeyOf<A[N]>, Array<number | null>]>>;
  async iteratePercentiles(axis: string | undefined, qs: readonly number[]): Promise<Array<[unknown, Array<number | null>]>> {
    const layout = this.requireHistogram('iteratePercentiles()', qs);
    const points = this.points(axis, layout.stored.has('year'));
    const listed = Array.isArray(points)
      ? (await readHistogramPoints(layout, points)).map((counts, index) => ({ key: points[index].key, counts }))
      : await readHistogramMembers(layout, points);
    return listed.map(({ key, counts }) => [key, qs.map((q) => histogramQuantile(q, layout.bounds, counts))]);
  }

  /**
   * Like {@link timeserie}, with the estimated quantiles `qs` of each bucket, in the
   * order of `qs` (`null` where nothing was counted). One store call,
   * then one hash read per date bucket (roll-ups are summed from exact combinations).
   * @throws UnsupportedMetricaQueryError, InvalidQuantileError, and as {@link timeserie}
   */
  async timeseriePercentiles(since: Date, until: Date, qs: readonly number[], scale?: Scale): Promise<Array<[Date, Array<number | null>]>> {
    const layout = this.requireHistogram('timeseriePercentiles()', qs);
    // The default scale is the finest the histogram can answer (a minute's cells may not be kept).
    const readable = histogramReadableScales(this.context.definition.kept, layout.stored);
    const points = this.seriesPoints(since, until, scale, readable);
    const counts = await readHistogramPoints(layout, points);
    return points.map((point, index) => [point.key, qs.map((q) => histogramQuantile(q, layout.bounds, counts[index]))]);
  }

  /** The keys `iterate(axis)` would list, without reading counters. @internal */
  async axisKeys(axis: string): Promise<unknown[]> {
    return (await this.list(axis, false, false)).map(({ key }) => key);
  }

  private axis(name: string): [number, Axis] {
    const { definition } = this.context;
    const index = definition.axisIndex.get(name);
    if (index === undefined) throw new UnknownAxisError(definition.name, name, definition.axes.map(([axisName]) => axisName));
    return [index, definition.axes[index][1]];
  }

  private field(tokens: readonly string[] = this.filters.tokens): string {
    return tokens.length === 0 ? NO_AXES_FIELD : tokens.join(PART_SEPARATOR);
  }

  private selfPoint(): [Point<null>] {
    return [{ key: null, buckets: timespanBuckets(this.span, this.context.timeZone), field: this.field() }];
  }

  /**
   * The points one level down (see {@link iterate}) with their raw sums, in ONE
   * store call (none for keys only of fixed points).
   */
  private async list(axisName: string | undefined, values: boolean, counts: boolean): Promise<Array<ListedSums<unknown>>> {
    const { keys, store } = this.context;
    const points = this.points(axisName);
    if (!Array.isArray(points)) return readMemberPoints(keys, store, points, values, counts);
    const sums = await this.read(points, values, counts);
    return points.map(({ key }, index) => ({ key, value: sums.values[index], count: sums.counts[index] }));
  }

  /**
   * The points one level down: fixed ones, or the members of a stored set.
   * `yearCells` false: the years seen are each read in a second call (a histogram
   * keeping no year cells sums them from finer ones).
   */
  private points(axisName?: string, yearCells = true): Point<unknown>[] | MemberPoints<unknown> {
    const { definition, keys, timeZone } = this.context;
    if (axisName === undefined) {
      if (this.span.depth === 0 && definition.kept.has('year')) return yearPoints(keys, this.field(), yearCells);
      const field = this.field();
      return nextScalePoints(definition.name, this.span, definition.kept, timeZone, []).map((point) => ({ ...point, field }));
    }
    const [index, axis] = this.axis(axisName);
    const buckets = timespanBuckets(this.span, timeZone);
    // A member's point sums every bucket of the timespan (two in a repeated DST hour).
    const everyBucket = buckets.map((_bucket, at) => at);
    if (axis instanceof StoredChoiceAxis) {
      return {
        set: keys.choices(axisName, null),
        buckets,
        field: this.fieldAround(index, axis.memberTokenAffix()),
        pointOf: (member) => ({ key: unescapeText(member), buckets: everyBucket }),
        compare: (a, b) => compareText(a as string, b as string),
      };
    }
    if (axis instanceof HierarchicalAxis) {
      const parent = (this.filters.values[axisName] as AxisPath | undefined) ?? [];
      const parentTokens = axis.segmentTokens(parent, { metrica: definition.name, axis: axisName });
      const affix = childPathTokenAffix(parentTokens);
      return {
        set: keys.choices(axisName, pathToken(parentTokens)),
        buckets,
        field: this.fieldAround(index, affix),
        pointOf: (member) => {
          const segment = decodeSegment(member);
          return segment === undefined ? undefined : { key: [...parent, segment], buckets: everyBucket };
        },
        compare: (a, b) => compareSegments((a as AxisPath).at(-1)!, (b as AxisPath).at(-1)!),
      };
    }
    return axis.choices.map((choice) => {
      const tokens = [...this.filters.tokens];
      tokens[index] = axis.choiceToken(choice);
      return { key: choice, buckets, field: this.field(tokens) };
    });
  }

  /** The field with `affix` (where a member goes) as the part of the axis at `index`. */
  private fieldAround(index: number, affix: { prefix: string; suffix: string }): { prefix: string; suffix: string } {
    const { tokens } = this.filters;
    const head = [...tokens.slice(0, index), ''].join(PART_SEPARATOR);
    const tail = ['', ...tokens.slice(index + 1)].join(PART_SEPARATOR);
    return { prefix: head + affix.prefix, suffix: affix.suffix + tail };
  }

  /** `defaults`: the scales the default is chosen among (every kept one, unless a histogram keeps fewer). */
  private seriesPoints(since: Date, until: Date, scale: Scale | undefined, defaults: ReadonlySet<Scale> = this.context.definition.kept): Point<Date>[] {
    const { definition, timeZone } = this.context;
    assertValidDate('since', since);
    assertValidDate('until', until);
    if (until.getTime() < since.getTime()) throw new InvalidRangeError(since, until);
    const chosen = scale ?? defaultTimeserieScale(since, until, defaults);
    if (chosen === undefined || !SCALES.includes(chosen) || !definition.kept.has(chosen)) {
      throw notKept(definition.name, chosen ?? 'scale', definition.kept);
    }
    const field = this.field();
    return timeseriePoints(definition.name, since, until, chosen, timeZone).map((point) => ({ ...point, field }));
  }

  private read(points: readonly Point<unknown>[], values: boolean, counts: boolean): Promise<PointSums> {
    return readPoints(this.context.keys, this.context.store, points, values, counts);
  }

  private scale(raw: number): number {
    const { multiplier } = this.context.definition;
    return multiplier === 1 ? raw : raw / multiplier;
  }

  private averageOf(raw: number, count: number): number | null {
    return count === 0 ? null : this.scale(raw) / count;
  }

  private requireHistogram(query: string, qs: readonly number[] = []): HistogramLayout {
    const { definition, keys, store, timeZone } = this.context;
    if (!definition.histogram) throw new UnsupportedMetricaQueryError(definition.name, query, 'histogram');
    if (!Array.isArray(qs)) throw new InvalidQuantileError(definition.name, qs);
    for (const q of qs) {
      if (typeof q !== 'number' || !(q > 0 && q < 1)) throw new InvalidQuantileError(definition.name, q);
    }
    return { metrica: definition.name, keys, store, bounds: definition.histogram, stored: definition.histogramScales, timeZone };
  }

  private requireAveraged(query: string): void {
    const { definition } = this.context;
    if (!definition.averaged) throw new UnsupportedMetricaQueryError(definition.name, query, 'averaged');
  }
}
