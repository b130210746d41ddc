import { Injectable } from '@nestjs/common';
import { InvalidOptionError } from '../errors/invalid-option.error.js';
import { InvalidRangeError } from '../errors/invalid-range.error.js';
import { RangeTooLargeError } from '../errors/range-too-large.error.js';
import { assertSupportedDate } from '../calendar/period-limits.js';
import type { LocalDay } from '../calendar/local-days.js';
import { ActiveDaySets } from '../active-users/active-day-sets.js';
import { analyticsReport } from './analytics-report-descriptions.js';
import { addDays, datesBetween, localDateOf, localDaysOf, periodStartOf, periodsMeeting, type AnalyticsPeriodKind, type DatePeriod } from '../calendar/analytics-calendar.js';
import {
  lifecycleCounts,
  retentionCounts,
  rollingDistinct,
  stickinessCounts,
  type DaySpan,
} from './analytics-computations.js';
import type { DayWindow } from '../active-users/active-day-sets.js';
import type { StoredIdSubset } from '../active-users/active-users.index.js';
import type {
  ActiveUsersRow,
  AnalyticsPeriod,
  AnalyticsRange,
  LifecycleOptions,
  LifecycleRow,
  RetentionCohort,
  RetentionOptions,
  StickinessOptions,
  StickinessRow,
} from './analytics-rows.interface.js';
import { SouvenirsCalendar } from '../calendar/souvenirs-calendar.js';
import { SITE_WIDE, type ReportScope } from './report-scope.js';

/**
 * The most local days one analytics report reads (its periods, plus the days it
 * looks back at: 29 for `activeUsers`' MAU, one period for `lifecycle`): a bit
 * over three years. Longer ranges are refused with a `RangeTooLargeError` (in `local days`).
 *
 * @publicApi
 */
export const MAX_ANALYTICS_DAYS = 1_200;

const DAY_MS = 86_400_000;
/** Days before the first row that `activeUsers` reads: the rest of its first MAU. */
const LOOK_BACK_DAYS = 29;

/** Whose users an analytics report counts: a report's scope (one tenant), and a subset of users (`among`). @internal */
export interface AnalyticsScope extends ReportScope {
  readonly within?: StoredIdSubset;
}

/** Reads the members of a window of local days (with first activity when asked): users of a scope, or tenants. @internal */
export type DayReader = (days: readonly (LocalDay | null)[], firstActivity: boolean) => Promise<DayWindow>;

/** A window of local days read at once, and the reports' periods as spans of it. */
interface Window {
  readonly days: readonly (LocalDay | null)[];
  readonly read: DayWindow;
  /** The instants of the `p`-th period given. */
  period(p: number): AnalyticsPeriod;
}

/**
 * DAU/WAU/MAU, retention, lifecycle and stickiness, exact, in the module's
 * `timeZone` with weeks starting on `weekStart`. `ReportsService` exposes them;
 * this is where they are computed: one read of a window of local days (see
 * `ActiveDaySets`), then arithmetic on sets. Given a subset (`within`, an `among`
 * resolved by `ReportsService`), every set is kept to it as it is read.
 *
 * @internal
 */
@Injectable()
export class AnalyticsReports {
  constructor(
    private readonly calendar: SouvenirsCalendar,
    private readonly daySets: ActiveDaySets,
  ) {}

  activeUsers(range: AnalyticsRange, scope: AnalyticsScope = SITE_WIDE): Promise<ActiveUsersRow[]> {
    return this.rollingCounts('activeUsers', range, this.usersOf(scope));
  }

  /** DAU/WAU/MAU of tenants: the members of each day, read by `tenantDays`, are the tenants any of whose users was active. */
  activeTenants(range: AnalyticsRange, tenantDays: DayReader): Promise<ActiveUsersRow[]> {
    return this.rollingCounts('activeTenants', range, tenantDays);
  }

  private async rollingCounts(report: string, range: AnalyticsRange, read: DayReader): Promise<ActiveUsersRow[]> {
    const { start, end } = this.range(report, range);
    if (end <= start) return [];
    // The days starting in [start, end), and the 29 before the first for its MAU.
    const first = localDateOf(start, this.calendar.days);
    const dates = datesBetween(addDays(first, -LOOK_BACK_DAYS), addDays(localDateOf(new Date(end.getTime() - 1), this.calendar.days), 1));
    const window = await this.window(report, dates, read, undefined, false);
    const [dau, wau, mau] = [1, 7, 30].map((length) => rollingDistinct(window.read, LOOK_BACK_DAYS, length));
    return window.days.flatMap((day, i) => {
      if (i < LOOK_BACK_DAYS || day === null || day.start < start || day.start >= end) return [];
      const at = i - LOOK_BACK_DAYS;
      const row = { dau: dau[at], wau: wau[at], mau: mau[at] };
      return [{ period: { start: day.start, end: day.end }, ...row, stickiness: row.mau === 0 ? null : row.dau / row.mau }];
    });
  }

  async retention(options: RetentionOptions, scope: AnalyticsScope = SITE_WIDE): Promise<RetentionCohort[]> {
    const { start, end } = this.range('retention', options);
    const kind = this.kind('retention.period', options.period, analyticsReport('retention').periods);
    const { modes } = analyticsReport('retention');
    const mode = options.mode ?? modes[0];
    if (!modes.includes(mode)) throw new InvalidOptionError('retention.mode', modes.map((m) => `'${m}'`).join(' or '), mode);
    const periods = periodsMeeting(start, end, kind, this.calendar.days, this.calendar.weekStart);
    if (periods.length === 0) return [];
    const window = await this.window('retention', periods.flatMap((period) => period.dates), this.usersOf(scope), periods);
    const counts = retentionCounts(window.read, spans(periods), mode);
    return periods.map((_, p) => ({ period: window.period(p), ...counts[p] }));
  }

  async lifecycle(options: LifecycleOptions, scope: AnalyticsScope = SITE_WIDE): Promise<LifecycleRow[]> {
    const { start, end } = this.range('lifecycle', options);
    const kind = this.kind('lifecycle.period', options.period, analyticsReport('lifecycle').periods);
    const periods = periodsMeeting(start, end, kind, this.calendar.days, this.calendar.weekStart);
    if (periods.length === 0) return [];
    // The period before the first one, to tell returning from resurrecting users.
    const firstDate = periods[0].dates[0];
    const previous: DatePeriod = { dates: datesBetween(periodStartOf(addDays(firstDate, -1), kind, this.calendar.weekStart), firstDate) };
    const all = [previous, ...periods];
    const window = await this.window('lifecycle', all.flatMap((period) => period.dates), this.usersOf(scope), all);
    const counts = lifecycleCounts(window.read, spans(all));
    return periods.map((_, p) => ({ period: window.period(p + 1), ...counts[p] }));
  }

  async stickiness(options: StickinessOptions, scope: AnalyticsScope = SITE_WIDE): Promise<StickinessRow[]> {
    const { start, end } = this.range('stickiness', options);
    const kind = this.kind('stickiness.period', options.period, analyticsReport('stickiness').periods) as 'week' | 'month';
    const periods = periodsMeeting(start, end, kind, this.calendar.days, this.calendar.weekStart);
    if (periods.length === 0) return [];
    const window = await this.window('stickiness', periods.flatMap((period) => period.dates), this.usersOf(scope), periods, false);
    const dayCounts = spans(periods).map(([from, to]) => window.days.slice(from, to).filter((day) => day !== null).length);
    const counts = stickinessCounts(window.read, spans(periods), dayCounts);
    return periods.map((_, p) => ({ period: window.period(p), days: counts[p] }));
  }

  /**
   * Reads the users of `dates` (the periods' dates in order, when given), and who was
   * first active among them when `firstActivity`, refusing more than `MAX_ANALYTICS_DAYS`.
   */
  private async window(report: string, dates: readonly string[], reader: DayReader, periods?: readonly DatePeriod[], firstActivity = true): Promise<Window> {
    if (dates.length > MAX_ANALYTICS_DAYS) throw new RangeTooLargeError(report, 'local days', MAX_ANALYTICS_DAYS, dates.length);
    const days = localDaysOf(dates, this.calendar.days);
    const read = await reader(days, firstActivity);
    const periodSpans = periods ? spans(periods) : [];
    return {
      days,
      read,
      // A period runs from its first day's start to its last day's end (a skipped date has no day).
      period: (p) => {
        const held = days.slice(...periodSpans[p]).filter((day) => day !== null);
        return { start: held[0]!.start, end: held[held.length - 1]!.end };
      },
    };
  }

  /** The users of the days in `scope`: the site's or one tenant's, within a subset when given. */
  private usersOf(scope: AnalyticsScope): DayReader {
    return (days, firstActivity) => this.daySets.read(days, firstActivity, scope.within, scope.tenant);
  }

  private range(report: string, range: AnalyticsRange): { start: Date; end: Date } {
    // Years 1000–9999, as every usage report and write: a year-1 cohort is no answer.
    assertSupportedDate(`${report}.start`, range?.start);
    if (range.end !== undefined) assertSupportedDate(`${report}.end`, range.end);
    const { start, end = this.calendar.now() } = range;
    if (range.end !== undefined && end < start) throw new InvalidRangeError(start, end);
    // Refused before any day is enumerated; the exact count is checked again on the window.
    const days = Math.floor((end.getTime() - start.getTime()) / DAY_MS);
    if (days > MAX_ANALYTICS_DAYS) throw new RangeTooLargeError(report, 'local days', MAX_ANALYTICS_DAYS, days);
    return { start, end };
  }

  /** `given` if the report's description lists it (the order of its list does not matter here). */
  private kind<K extends AnalyticsPeriodKind>(option: string, given: unknown, allowed: readonly K[]): K {
    if (!allowed.includes(given as K)) throw new InvalidOptionError(option, allowed.map((k) => `'${k}'`).join(' or '), given);
    return given as K;
  }
}

/** Each period's days as a span of the window made of the periods' dates in order. */
function spans(periods: readonly DatePeriod[]): DaySpan[] {
  let from = 0;
  return periods.map((period) => {
    const span: DaySpan = [from, from + period.dates.length];
    from = span[1];
    return span;
  });
}
