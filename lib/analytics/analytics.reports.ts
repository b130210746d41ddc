import { Inject, Injectable } from '@nestjs/common';
import { InvalidOptionError } from '../errors/invalid-option.error.js';
import { InvalidRangeError } from '../errors/invalid-range.error.js';
import { AnalyticsRangeTooLongError } from '../errors/analytics-range-too-long.error.js';
import { assertValidDate } from '../periods/time-zone.js';
import type { ResolvedSouvenirsOptions } from '../souvenirs-options.defaults.js';
import { SOUVENIRS_RESOLVED_OPTIONS } from '../souvenirs.internal-constants.js';
import { ActiveDaySets } from './active-day-sets.js';
import { addDays, datesBetween, localDateOf, localDaysOf, periodStartOf, periodsMeeting, type DatePeriod } from './analytics-calendar.js';
import {
  lifecycleCounts,
  retentionCounts,
  rollingDistinct,
  stickinessCounts,
  type DayWindow,
  type DaySpan,
} from './analytics-computations.js';
import type {
  ActiveUsersRow,
  AnalyticsPeriod,
  AnalyticsPeriodKind,
  AnalyticsRange,
  LifecycleOptions,
  LifecycleRow,
  RetentionCohort,
  RetentionOptions,
  StickinessOptions,
  StickinessRow,
} from './analytics-rows.interface.js';

/**
 * The most local days one analytics report reads (its periods, plus the days it
 * looks back at: 29 for `activeUsers`' MAU, one period for `lifecycle`): a bit
 * over three years. Longer ranges are refused with `AnalyticsRangeTooLongError`.
 *
 * @publicApi
 */
export const MAX_ANALYTICS_DAYS = 1_200;

const DAY_MS = 86_400_000;
const PERIOD_KINDS: readonly AnalyticsPeriodKind[] = ['day', 'week', 'month'];

/** A window of local days read at once, and the reports' periods as spans of it. */
interface Window {
  readonly dates: readonly string[];
  readonly read: DayWindow;
}

/**
 * DAU/WAU/MAU, retention, lifecycle and stickiness, exact, in the module's
 * `timeZone` with weeks starting on `weekStart`. `ReportsService` exposes them;
 * this is where they are computed: one read of a window of local days (see
 * `ActiveDaySets`), then arithmetic on sets.
 *
 * @internal
 */
@Injectable()
export class AnalyticsReports {
  constructor(
    @Inject(SOUVENIRS_RESOLVED_OPTIONS) private readonly options: ResolvedSouvenirsOptions,
    private readonly daySets: ActiveDaySets,
  ) {}

  async activeUsers(range: AnalyticsRange): Promise<ActiveUsersRow[]> {
    const { start, end } = this.range('activeUsers', range);
    // Days starting in [start, end): from the first midnight at or after start.
    const startDate = localDateOf(start, this.zone);
    const first = this.day(startDate).start < start ? addDays(startDate, 1) : startDate;
    const shown: string[] = [];
    for (let date = first; this.day(date).start < end; date = addDays(date, 1)) shown.push(date);
    if (shown.length > MAX_ANALYTICS_DAYS) throw new AnalyticsRangeTooLongError('activeUsers', shown.length + 29, MAX_ANALYTICS_DAYS);
    if (shown.length === 0) return [];
    const window = await this.window('activeUsers', datesBetween(addDays(first, -29), addDays(shown[shown.length - 1], 1)));
    const from = 29;
    const dau = rollingDistinct(window.read, from, 1);
    const wau = rollingDistinct(window.read, from, 7);
    const mau = rollingDistinct(window.read, from, 30);
    return shown.flatMap((date, i) => {
      const day = localDaysOf([date], this.zone)[0];
      if (!day) return [];
      return [{ period: { start: day.start, end: day.end }, dau: dau[i], wau: wau[i], mau: mau[i], stickiness: mau[i] === 0 ? null : dau[i] / mau[i] }];
    });
  }

  async retention(options: RetentionOptions): Promise<RetentionCohort[]> {
    const { start, end } = this.range('retention', options);
    const kind = this.kind('retention.period', options.period, PERIOD_KINDS);
    const mode = options.mode ?? 'classic';
    if (mode !== 'classic' && mode !== 'unbounded') throw new InvalidOptionError('retention.mode', "'classic' or 'unbounded'", mode);
    const periods = periodsMeeting(start, end, kind, this.zone, this.options.weekStart);
    if (periods.length === 0) return [];
    const window = await this.window('retention', periods.flatMap((period) => period.dates));
    const counts = retentionCounts(window.read, spans(periods), mode);
    return periods.map((period, p) => ({ period: this.period(period), ...counts[p] }));
  }

  async lifecycle(options: LifecycleOptions): Promise<LifecycleRow[]> {
    const { start, end } = this.range('lifecycle', options);
    const kind = this.kind('lifecycle.period', options.period, PERIOD_KINDS);
    const periods = periodsMeeting(start, end, kind, this.zone, this.options.weekStart);
    if (periods.length === 0) return [];
    // The period before the first one, to tell returning from resurrecting users.
    const firstDate = periods[0].dates[0];
    const previous: DatePeriod = { dates: datesBetween(periodStartOf(addDays(firstDate, -1), kind, this.options.weekStart), firstDate) };
    const all = [previous, ...periods];
    const window = await this.window('lifecycle', all.flatMap((period) => period.dates));
    const counts = lifecycleCounts(window.read, spans(all));
    return periods.map((period, p) => ({ period: this.period(period), ...counts[p] }));
  }

  async stickiness(options: StickinessOptions): Promise<StickinessRow[]> {
    const { start, end } = this.range('stickiness', options);
    const kind = this.kind('stickiness.period', options.period, ['week', 'month']);
    const periods = periodsMeeting(start, end, kind, this.zone, this.options.weekStart);
    if (periods.length === 0) return [];
    const window = await this.window('stickiness', periods.flatMap((period) => period.dates));
    const dayCounts = periods.map((period) => localDaysOf(period.dates, this.zone).filter((day) => day !== null).length);
    const counts = stickinessCounts(window.read, spans(periods), dayCounts);
    return periods.map((period, p) => ({ period: this.period(period), days: counts[p] }));
  }

  private get zone(): string {
    return this.options.timeZone;
  }

  /** Reads the users of `dates`, refusing more than `MAX_ANALYTICS_DAYS`. */
  private async window(report: string, dates: readonly string[]): Promise<Window> {
    if (dates.length > MAX_ANALYTICS_DAYS) throw new AnalyticsRangeTooLongError(report, dates.length, MAX_ANALYTICS_DAYS);
    return { dates, read: await this.daySets.read(localDaysOf(dates, this.zone)) };
  }

  private range(report: string, range: AnalyticsRange): { start: Date; end: Date } {
    assertValidDate(`${report}.start`, range?.start);
    if (range.end !== undefined) assertValidDate(`${report}.end`, range.end);
    const { start, end = this.options.now() } = range;
    if (range.end !== undefined && end < start) throw new InvalidRangeError(start, end);
    // Refused before any day is enumerated; the exact count is checked again on the window.
    const days = Math.floor((end.getTime() - start.getTime()) / DAY_MS);
    if (days > MAX_ANALYTICS_DAYS) throw new AnalyticsRangeTooLongError(report, days, MAX_ANALYTICS_DAYS);
    return { start, end };
  }

  private kind<K extends AnalyticsPeriodKind>(option: string, given: unknown, allowed: readonly K[]): K {
    if (!allowed.includes(given as K)) throw new InvalidOptionError(option, allowed.map((k) => `'${k}'`).join(' or '), given);
    return given as K;
  }

  /** A date's local day; a date the zone skipped is the next day's start (it holds no time). */
  private day(date: string): { start: Date; end: Date } {
    return localDaysOf([date], this.zone)[0] ?? this.day(addDays(date, 1));
  }

  private period(period: DatePeriod): AnalyticsPeriod {
    return { start: this.day(period.dates[0]).start, end: this.day(addDays(period.dates[period.dates.length - 1], 1)).start };
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
