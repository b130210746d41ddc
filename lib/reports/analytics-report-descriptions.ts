import { DateTime, type DurationLikeObject } from 'luxon';
import type {
  ActiveUsersRow,
  AnalyticsRange,
  LifecycleOptions,
  LifecycleRow,
  RetentionCohort,
  RetentionMode,
  RetentionOptions,
  StickinessOptions,
  StickinessRow,
} from './analytics-rows.interface.js';
import type { AnalyticsPeriodKind } from '../calendar/analytics-calendar.js';

/**
 * Each active-user analytics report described once: its name, its arguments, how
 * its periods are made and its columns. The service checks arguments against it,
 * the CLI builds its commands and the dashboard its tables and CSV from it, so a
 * report added later is one more entry here.
 */

/** The analytics methods of `ReportsService`, as the descriptions call them. @internal */
export interface AnalyticsApi {
  activeUsers(range: AnalyticsRange): Promise<ActiveUsersRow[]>;
  retention(options: RetentionOptions): Promise<RetentionCohort[]>;
  lifecycle(options: LifecycleOptions): Promise<LifecycleRow[]>;
  stickiness(options: StickinessOptions): Promise<StickinessRow[]>;
}

/** The arguments every description takes (those a report has no use for are ignored). */
export interface AnalyticsReportArguments {
  start: Date;
  end?: Date;
  period: AnalyticsPeriodKind;
  mode: RetentionMode;
  /** Retention cells as counts instead of shares of the cohort. */
  counts?: boolean;
}

/** One cell of a report table: text, a number, or nothing. */
export type AnalyticsCell = string | number | null;

/** A report as a table: column names, and one row of cells per period. */
export interface AnalyticsTable {
  headers: string[];
  rows: AnalyticsCell[][];
}

/** How a description formats an instant (the CLI: strftime in the zone; the dashboard: ISO local dates). */
export type FormatInstant = (instant: Date) => string;

/** One analytics report. */
export interface AnalyticsReportDescription {
  /** Its name in the CLI (`souvenirs <name>`) and in the dashboard's URLs. */
  readonly name: 'active-users' | 'retention' | 'lifecycle' | 'stickiness';
  /** Its `ReportsService` method. */
  readonly method: keyof AnalyticsApi;
  /** One line for lists. */
  readonly summary: string;
  /** How its periods are made. */
  readonly periodsText: string;
  /** The periods it accepts, the first being its default; one entry: no choice. */
  readonly periods: readonly AnalyticsPeriodKind[];
  /** The modes it accepts, the first being its default; empty: none. */
  readonly modes: readonly RetentionMode[];
  /** Its default start, before `end`, when none is given: the last few periods. */
  defaultStart(end: Date, period: AnalyticsPeriodKind, timeZone: string): Date;
  /** Runs it. */
  fetch(api: AnalyticsApi, args: AnalyticsReportArguments): Promise<unknown[]>;
  /** Its rows as a table, oldest period first; every figure a number (JSON and CSV carry them as they are). */
  table(rows: unknown[], args: AnalyticsReportArguments, format: FormatInstant): AnalyticsTable;
  /**
   * The table as a person reads it (the CLI's plain table, the dashboard's heat map):
   * retention's shares as percentages. Absent: the table as it is.
   */
  display?(table: AnalyticsTable, args: AnalyticsReportArguments): AnalyticsTable;
}

/** A default start: `amount` before the local day holding `end`. */
const back = (amount: Partial<Record<AnalyticsPeriodKind, DurationLikeObject>>) => (end: Date, period: AnalyticsPeriodKind, timeZone: string) =>
  DateTime.fromJSDate(end, { zone: timeZone }).startOf('day').minus(amount[period] ?? { days: 30 }).toJSDate();

const ratio = (value: number | null): number | null => (value === null ? null : Math.round(value * 1000) / 1000);
/** A share of a cohort, a fraction to three decimals (a percentage to one); none of an empty cohort. */
const share = (count: number, size: number): number | null => (size === 0 ? null : ratio(count / size));
/** A share as a person reads it: `0.5` → `'50.0%'`. */
const percent = (cell: AnalyticsCell): AnalyticsCell => (typeof cell === 'number' ? `${(cell * 100).toFixed(1)}%` : cell);

/** `activeUsers`: one row per local day. */
const activeUsers: AnalyticsReportDescription = {
  name: 'active-users',
  method: 'activeUsers',
  summary: 'DAU, WAU and MAU (rolling 7 and 30 local days) and stickiness per local day',
  periodsText: 'local days starting in the range; WAU and MAU look back 7 and 30 local days',
  periods: ['day'],
  modes: [],
  defaultStart: back({ day: { days: 30 } }),
  fetch: (api, { start, end }) => api.activeUsers({ start, end }),
  table: (rows, _args, format) => ({
    headers: ['date', 'dau', 'wau', 'mau', 'stickiness'],
    rows: (rows as ActiveUsersRow[]).map((row) => [format(row.period.start), row.dau, row.wau, row.mau, ratio(row.stickiness)]),
  }),
};

/** `retention`: a triangle, one cohort per row. */
const retention: AnalyticsReportDescription = {
  name: 'retention',
  method: 'retention',
  summary: 'cohorts by first activity ever, and how many came back in each later period',
  periodsText: 'local days, weeks starting on weekStart or calendar months, from the one holding the start',
  periods: ['week', 'day', 'month'],
  modes: ['classic', 'unbounded'],
  defaultStart: back({ day: { days: 14 }, week: { weeks: 8 }, month: { months: 6 } }),
  fetch: (api, { start, end, period, mode }) => api.retention({ start, end, period, mode }),
  table: (rows, { counts }, format) => {
    const cohorts = rows as RetentionCohort[];
    const width = cohorts[0]?.retained.length ?? 0;
    return {
      headers: ['cohort', 'size', ...Array.from({ length: width }, (_, k) => `+${k}`)],
      rows: cohorts.map(({ period, size, retained }) => [
        format(period.start),
        size,
        ...Array.from({ length: width }, (_, k) => (k >= retained.length ? null : counts ? retained[k] : share(retained[k], size))),
      ]),
    };
  },
  display: (table, { counts }) =>
    counts ? table : { headers: table.headers, rows: table.rows.map((row) => row.map((cell, c) => (c >= 2 ? percent(cell) : cell))) },
};

/** `lifecycle`: new, returning, resurrecting and dormant users per period. */
const lifecycle: AnalyticsReportDescription = {
  name: 'lifecycle',
  method: 'lifecycle',
  summary: 'new, returning, resurrecting and dormant users per period',
  periodsText: 'local days, weeks starting on weekStart or calendar months, from the one holding the start; each compared with the one before',
  periods: ['day', 'week', 'month'],
  modes: [],
  defaultStart: back({ day: { days: 30 }, week: { weeks: 12 }, month: { months: 12 } }),
  fetch: (api, { start, end, period }) => api.lifecycle({ start, end, period }),
  table: (rows, _args, format) => ({
    headers: ['start', 'end', 'new', 'returning', 'resurrecting', 'dormant'],
    rows: (rows as LifecycleRow[]).map((row) => [format(row.period.start), format(row.period.end), row.new, row.returning, row.resurrecting, row.dormant]),
  }),
};

/** `stickiness`: users active on exactly n days of each period. */
const stickiness: AnalyticsReportDescription = {
  name: 'stickiness',
  method: 'stickiness',
  summary: 'users active on exactly 1, 2, … local days of each week or month',
  periodsText: 'weeks starting on weekStart or calendar months, from the one holding the start',
  periods: ['week', 'month'],
  modes: [],
  defaultStart: back({ week: { weeks: 8 }, month: { months: 6 } }),
  fetch: (api, { start, end, period }) => api.stickiness({ start, end, period: period as 'week' | 'month' }),
  table: (rows, _args, format) => {
    const periods = rows as StickinessRow[];
    const width = Math.max(0, ...periods.map((row) => row.days.length));
    return {
      headers: ['start', 'end', ...Array.from({ length: width }, (_, n) => `${n + 1}d`)],
      rows: periods.map((row) => [format(row.period.start), format(row.period.end), ...Array.from({ length: width }, (_, n) => row.days[n] ?? null)]),
    };
  },
};

/** Every analytics report, in the order lists show them. */
export const ANALYTICS_REPORTS: readonly AnalyticsReportDescription[] = [activeUsers, retention, lifecycle, stickiness];

/** The description of the report whose service method is `method`. @internal */
export function analyticsReport(method: keyof AnalyticsApi): AnalyticsReportDescription {
  return ANALYTICS_REPORTS.find((report) => report.method === method)!;
}
