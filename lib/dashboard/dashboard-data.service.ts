import { BadRequestException, Injectable, NotFoundException, Optional } from '@nestjs/common';
import { DateTime } from 'luxon';
import { SouvenirsError } from '../errors/souvenirs.error.js';
import { UnknownAxisError } from '../errors/unknown-axis.error.js';
import { UnknownMetricaError } from '../errors/unknown-metrica.error.js';
import type { Scale } from '../metricas/definition/metrica-definition.interface.js';
import { defaultTimeserieScale } from '../metricas/definition/metrica-buckets.js';
import { histogramReadableScales } from '../metricas/definition/histogram-cell-buckets.js';
import { MetricaRegistry } from '../metricas/metrica.registry.js';
import type { Metrica } from '../metricas/metrica.js';
import type { AxisValue } from '../metricas/axes/axis-value.js';
import { iterDays } from '../calendar/period-iterators.js';
import { ReportsService } from '../reports/reports.service.js';
import { ActivityService } from '../activity/activity.service.js';
import { SouvenirsCalendar } from '../calendar/souvenirs-calendar.js';
import { RESPONSE_TIME_METRICA } from '../tracking/tracking.constants.js';
import { bucketsInProgress, spanInProgress } from './in-progress.js';
import { reportsOf } from './dashboard-tenant.js';
import type {
  ActiveUsersDay,
  AxisBreakdown,
  AxisSeries,
  AxisSlice,
  MetricaSummary,
  MonthlyUsageRow,
  PercentilePoint,
  ResponseTimeRow,
  TimelinePoint,
} from './dashboard-data.interface.js';
import { StoreRefusedError } from '../errors/store-refused.error.js';
import { StoreUnavailableError } from '../errors/store-unavailable.error.js';

/** Most series drawn per axis: the largest values, so a chart stays readable. */
const MAX_AXIS_SERIES = 10;

/** The percentiles the dashboard shows per route: p50, p95, p99. */
const PERCENTILES = [0.5, 0.95, 0.99];

/** Local days, both ends included (start of day in the module's zone). @internal */
export interface DayRange {
  first: DateTime;
  last: DateTime;
}

/** What a time range of a metrica chart spans, `since` inclusive, `until` exclusive. @internal */
export interface ChartRange {
  since?: Date;
  until?: Date;
  scale?: Scale;
}

/**
 * The numbers behind every dashboard chart, from the services' public API only
 * (`ReportsService`, `MetricaRegistry`), in the module's time zone.
 * @internal
 */
@Injectable()
export class DashboardDataService {
  constructor(
    private readonly reports: ReportsService,
    private readonly registry: MetricaRegistry,
    private readonly calendar: SouvenirsCalendar,
    @Optional() private readonly activity?: ActivityService,
  ) {}

  /** The first local day whose activity is kept (the retention horizon), `YYYY-MM-DD`; `null`: all is kept. */
  horizon(): string | null {
    const horizon = this.activity?.retentionHorizon() ?? null;
    return horizon && DateTime.fromJSDate(horizon, { zone: this.calendar.timeZone }).toISODate();
  }

  /** The time zone every date is bucketed in. */
  get timeZone(): string {
    return this.calendar.timeZone;
  }

  /** Today's local day in the module's zone. */
  today(): DateTime {
    return DateTime.fromJSDate(this.calendar.now(), { zone: this.calendar.timeZone }).startOf('day');
  }

  /**
   * DAU, WAU, MAU and stickiness (DAU/MAU) for each local day of `range` (default
   * the last `days` days, today included): one `usageForPeriods` call for every window
   * (constant SQL round trips). WAU of day d is [d-6, d+1), MAU [d-29, d+1), in local
   * days (DST-correct). Today's row is `inProgress`.
   */
  async activeUsers(range: DayRange, tenant?: string): Promise<ActiveUsersDay[]> {
    const zone = this.calendar.timeZone;
    const now = this.calendar.now();
    const first = range.first.minus({ days: 29 });
    const daySpans = [...iterDays(first.toJSDate(), range.last.plus({ days: 1 }).toJSDate(), zone)];
    const shown = daySpans.slice(29);
    const windows: Array<[Date, Date]> = shown.flatMap(([start, end], index) => [
      [start, end],
      [daySpans[index + 29 - 6][0], end],
      [daySpans[index][0], end],
    ]);
    const rows = await reportsOf(this.reports, tenant).usageForPeriods(windows);
    return shown.map(([start, end], index) => {
      const [dau, wau, mau] = rows.slice(index * 3, index * 3 + 3).map((row) => row.usage.activeUsers);
      return {
        date: DateTime.fromJSDate(start, { zone }).toISODate() as string,
        start: start.toISOString(),
        dau,
        wau,
        mau,
        stickiness: mau === 0 ? null : dau / mau,
        inProgress: spanInProgress(start, end, now),
      };
    });
  }

  /** The calendar-monthly usage table of the last `months` months, this one included (`inProgress`); one tenant's when given. */
  async monthlyUsage(months: number, tenant?: string): Promise<MonthlyUsageRow[]> {
    const zone = this.calendar.timeZone;
    const now = this.calendar.now();
    let start = DateTime.fromJSDate(now, { zone }).startOf('month').minus({ months: months - 1 });
    // Only the months wholly kept: one reaching before the retention horizon would be refused.
    const horizon = this.activity?.retentionHorizon();
    if (horizon) {
      const kept = DateTime.fromJSDate(horizon, { zone });
      const firstWhole = kept.equals(kept.startOf('month')) ? kept : kept.startOf('month').plus({ months: 1 });
      if (firstWhole > start) start = firstWhole;
      if (start > DateTime.fromJSDate(now, { zone })) return [];
    }
    const rows = await reportsOf(this.reports, tenant).calendarMonthlyUsage({ start: start.toJSDate() });
    return rows.map((row) => ({
      month: String(row.labels?.calendarYearMonth ?? ''),
      start: row.period.start.toISOString(),
      end: row.period.end.toISOString(),
      ...row.usage,
      // This month's period is clipped to now, so it ends at now rather than after it.
      inProgress: row.period.start <= now && now <= row.period.end,
    }));
  }

  /** Every metrica with its axes and all-time totals. */
  async metricas(): Promise<MetricaSummary[]> {
    return Promise.all(
      this.registry.list().map(async (metrica) => ({
        name: metrica.name,
        axes: Object.keys(metrica.axes),
        averaged: metrica.averaged,
        scales: [...metrica.scales],
        total: await metrica.total(),
        count: metrica.averaged ? await metrica.count() : null,
      })),
    );
  }

  /** A metrica by name. @throws NotFoundException (404) for an unknown name */
  metrica(name: string): Metrica {
    return this.translate(() => this.registry.get(name));
  }

  /** One metrica's totals over time (and counts and averages when it is averaged); the bucket holding now is `inProgress`. */
  async timeline(name: string, range: ChartRange): Promise<TimelinePoint[]> {
    const metrica = this.metrica(name);
    const values = metrica.values();
    const [since, until] = this.span(range);
    const totals = await this.translateAsync(() => values.timeserie(since, until, range.scale));
    const progress = this.inProgress(metrica, totals, since, until, range.scale);
    if (metrica.averaged) {
      const counts = await this.translateAsync(() => values.timeserieCountsAndAverages(since, until, range.scale));
      return totals.map(([t, value], index) => ({ t: t.toISOString(), value, count: counts[index][1], average: counts[index][2], inProgress: progress[index] }));
    }
    return totals.map(([t, value], index) => ({ t: t.toISOString(), value, inProgress: progress[index] }));
  }

  /**
   * An axis of a metrica: all-time totals per value (the pie, with a `none` slice for
   * events without a value, such as requests that threw no exception), the largest
   * values' series, one series of what the other values hold together, and one of the
   * events without a value, so the series add up to the timeline.
   */
  async axis(name: string, axis: string, range: ChartRange): Promise<AxisBreakdown> {
    const metrica = this.metrica(name);
    const values = metrica.values();
    const [since, until] = this.span(range);
    // An averaged metrica (a duration, a price) is sliced by events: summed milliseconds
    // would weigh a slow route over a busy one and hide fast errors.
    const averaged = metrica.averaged;
    const [listed, all, overall] = await Promise.all([
      this.translateAsync(() => (averaged ? values.iterateCounts(axis) : values.iterate(axis))),
      this.translateAsync(() => (averaged ? values.count() : values.total())),
      this.translateAsync(() => (averaged ? values.timeserieCounts(since, until, range.scale) : values.timeserie(since, until, range.scale))),
    ]);
    const progress = this.inProgress(metrica, overall, since, until, range.scale);
    const pie: AxisSlice[] = listed.map(([key, total]) => ({ key, label: labelOf(key), total }));
    const ranked = [...(pie as Array<AxisSlice & { key: AxisValue }>)].sort((a, b) => b.total - a.total);
    const read = (key: AxisValue) => {
      const filtered = values.filter({ [axis]: key });
      return this.translateAsync(() => (averaged ? filtered.timeserieCounts(since, until, range.scale) : filtered.timeserie(since, until, range.scale)));
    };
    const [largest, rest] = await Promise.all([
      Promise.all(ranked.slice(0, MAX_AXIS_SERIES).map(({ key }) => read(key))),
      Promise.all(ranked.slice(MAX_AXIS_SERIES).map(({ key }) => read(key))),
    ]);
    const pointsOf = (sums: number[]): TimelinePoint[] => overall.map(([t], i) => ({ t: t.toISOString(), value: sums[i], inProgress: progress[i] }));
    const sumOf = (serieses: Array<Array<[Date, number]>>) => overall.map((_, i) => serieses.reduce((sum, points) => sum + points[i][1], 0));
    const series: AxisSeries[] = largest.map((points, i) => ({ label: ranked[i].label, points: pointsOf(points.map(([, value]) => value)) }));
    const others = sumOf(rest);
    if (rest.length > 0) series.push({ label: `others (${rest.length} values)`, points: pointsOf(others), others: rest.length });
    // Hierarchical axes list their top level only, so what is left is what no value holds.
    const listedSums = sumOf([...largest, ...rest]);
    const none = overall.map(([, value], i) => Math.max(0, round6(value - listedSums[i])));
    if (none.some((value) => value > 0)) series.push({ label: `(no ${axis})`, points: pointsOf(none), none: true });
    const unlabelled = round6(all - pie.reduce((sum, slice) => sum + slice.total, 0));
    const slices: AxisSlice[] = pie.map(({ label, total }) => ({ label, total }));
    if (unlabelled > 0) slices.push({ label: `(no ${axis})`, total: unlabelled, none: true });
    return { axis, pie: slices, series };
  }

  /** `response_time` per view: all-time and today's counts and average milliseconds, all-time p50/p95/p99; slowest p95 first. */
  async responseTimes(): Promise<ResponseTimeRow[]> {
    if (!this.registry.has(RESPONSE_TIME_METRICA)) return [];
    const metrica = this.registry.get(RESPONSE_TIME_METRICA);
    const values = metrica.values();
    const now = DateTime.fromJSDate(this.calendar.now(), { zone: this.calendar.timeZone });
    const today = values.timespan({ year: now.year, month: now.month, day: now.day });
    const [counts, averages, todayCounts, todayAverages, percentiles] = await Promise.all([
      values.iterateCounts('view'),
      values.iterateAverages('view'),
      today.iterateCounts('view'),
      today.iterateAverages('view'),
      metrica.definition.histogram ? values.iteratePercentiles('view', PERCENTILES) : Promise.resolve([]),
    ]);
    const byView = <T>(rows: Array<[unknown, T]>) => new Map(rows.map(([view, value]) => [labelOf(view), value]));
    const [allAverages, dayCounts, dayAverages, allPercentiles] = [byView(averages), byView(todayCounts), byView(todayAverages), byView(percentiles)];
    const rows = counts.map(([key, count]) => {
      const view = labelOf(key);
      const [p50, p95, p99] = allPercentiles.get(view) ?? [null, null, null];
      return {
        view,
        count,
        average: allAverages.get(view) ?? null,
        todayCount: dayCounts.get(view) ?? 0,
        todayAverage: dayAverages.get(view) ?? null,
        p50,
        p95,
        p99,
      };
    });
    // Slowest first: what an operator looks for. Views without a p95 go last.
    return rows.sort((a, b) => (b.p95 ?? -Infinity) - (a.p95 ?? -Infinity));
  }

  /** One view's request count and p50/p95/p99 per bucket over the range (the `response_time` histogram). */
  async responseTimePercentiles(view: string, range: ChartRange): Promise<PercentilePoint[]> {
    if (!this.registry.has(RESPONSE_TIME_METRICA)) throw new NotFoundException('response_time is not tracked (track.responseTime is off).');
    const metrica = this.metrica(RESPONSE_TIME_METRICA);
    const values = metrica.filter({ view });
    const [since, until] = this.span(range);
    // Both series on one scale: left to itself, the percentiles' default may be coarser
    // than the counts' (a histogram need not keep minute cells).
    const { kept, histogramScales } = metrica.definition;
    const scale = range.scale ?? defaultTimeserieScale(since, until, histogramReadableScales(kept, histogramScales));
    const [counts, percentiles] = await Promise.all([
      this.translateAsync(() => values.timeserieCounts(since, until, scale)),
      this.translateAsync(() => values.timeseriePercentiles(since, until, PERCENTILES, scale)),
    ]);
    const progress = this.inProgress(this.metrica(RESPONSE_TIME_METRICA), counts, since, until, range.scale);
    return counts.map(([t, count], index) => {
      const [p50, p95, p99] = percentiles[index][1];
      return { t: t.toISOString(), count, p50, p95, p99, inProgress: progress[index] };
    });
  }

  /** The range asked for, defaulting to the 30 days before now. */
  private span(range: ChartRange): [Date, Date] {
    const until = range.until ?? this.calendar.now();
    const since = range.since ?? DateTime.fromJSDate(until).minus({ days: 30 }).toJSDate();
    return [since, until];
  }

  /** Which buckets of a series of `metrica` hold now (the scale it was read at, given or its default). */
  private inProgress(metrica: Metrica, points: Array<[Date, ...unknown[]]>, since: Date, until: Date, scale?: Scale): boolean[] {
    const read = scale ?? defaultTimeserieScale(since, until, new Set(metrica.scales));
    return bucketsInProgress(points.map(([t]) => t), read, this.calendar.timeZone, this.calendar.now());
  }

  private translate<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      throw httpErrorOf(error);
    }
  }

  private async translateAsync<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      throw httpErrorOf(error);
    }
  }
}

/** Sums of floats (averaged metricas are integers, but values may be scaled) without noise such as 1e-13. */
function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** A readable label of an axis key: hierarchical paths joined with `/`. */
function labelOf(key: unknown): string {
  return Array.isArray(key) ? key.join('/') : String(key);
}

/**
 * Unknown names answer 404, any other refused input (a range backwards, a scale not kept…) 400; the rest goes on
 * unchanged: a store failure is no fault of the query (503 by `StoreUnavailableFilter`, or 500).
 */
function httpErrorOf(error: unknown): unknown {
  if (error instanceof UnknownMetricaError || error instanceof UnknownAxisError) return new NotFoundException(error.message);
  if (error instanceof StoreUnavailableError || error instanceof StoreRefusedError) return error;
  if (error instanceof SouvenirsError) return new BadRequestException(error.message);
  return error;
}
