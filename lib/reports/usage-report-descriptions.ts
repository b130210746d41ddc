import { DateTime } from 'luxon';
import { iterDays } from '../calendar/period-iterators.js';
import type { CalendarMonthLabels, CustomerMonthLabels } from '../calendar/period-labels.js';
import type { ReportRange } from './reports.service.js';
import type { UsageRow } from './usage-row.interface.js';

/**
 * Each usage report (django-souvenirs' `show-usage`) described once: its name, its
 * arguments, how its periods are made and its columns. `souvenirs show-usage` builds its
 * flags, help and tables from these entries and the dashboard its usage table, so a
 * report added later is one more entry here (and its `ReportsService` method).
 */

/** The reports of `show-usage`. */
export type UsageReportKind = 'daily' | 'monthly' | 'quarterly' | 'yearly' | 'calendar';

/** The usage methods of `ReportsService`, as the descriptions call them. @internal */
export interface UsageApi {
  dailyUsage(subscriptionStart: Date, range?: ReportRange): Promise<UsageRow[]>;
  customerMonthlyUsage(subscriptionStart: Date, range?: ReportRange): Promise<UsageRow[]>;
  customerQuarterlyUsage(subscriptionStart: Date, range?: ReportRange): Promise<UsageRow[]>;
  customerYearlyUsage(subscriptionStart: Date, range?: ReportRange): Promise<UsageRow[]>;
  calendarMonthlyUsage(range: { start: Date; end?: Date }): Promise<UsageRow[]>;
}

/** The arguments a usage report takes (those it has no use for are ignored). */
export interface UsageReportArguments {
  /** The customer's subscription start or renewal; required unless `needsSubscriptionStart` is false. */
  subscriptionStart?: Date;
  range: ReportRange;
  /** The module's time zone and clock, for a default start. */
  timeZone: string;
  now: Date;
}

/** One cell of a usage table: a label or formatted date, a count, null (no `users` source), or the `partial` flag. */
export type UsageCell = string | number | boolean | null;

/** The counting columns every usage report ends with. */
export const USAGE_COUNT_COLUMNS = ['registered', 'activated', 'active'] as const;

/** One usage report. */
export interface UsageReportDescription {
  /** Its name: the `show-usage` flag (`--<name>`). */
  readonly name: UsageReportKind;
  /** Its `ReportsService` method. */
  readonly method: keyof UsageApi;
  /** How its periods are made, as `show-usage --help` lists it (one entry a line). */
  readonly periodsText: readonly string[];
  /** Whether it needs a subscription start (customer periods) or not (calendar periods). */
  readonly needsSubscriptionStart: boolean;
  /** Its label column, `[header, row label]` (a label `period-labels.ts` makes); none: the first column is the period's end date. */
  readonly labelColumn?: readonly [header: string, label: keyof CustomerMonthLabels | keyof CalendarMonthLabels];
  /**
   * Where a full period starting at `start` would end. Given, the report ends with a
   * `partial` column: `true` on a last period cut short by the report's end (today's, still
   * running, or the last before `--before`). The daily report has it because its date column
   * is the period's end, so a cut day shows the same date as the full day before it.
   */
  readonly fullPeriodEnd?: (start: Date, timeZone: string) => Date;
  /** Runs it. */
  fetch(api: UsageApi, args: UsageReportArguments): Promise<UsageRow[]>;
}

/** The column telling a period cut short by the report's end. */
export const PARTIAL_COLUMN = 'partial';

/** The end of the day starting at `start`: the same wall-clock time the next day, as `iterDays` makes them. */
const nextDay = (start: Date, timeZone: string): Date =>
  iterDays(start, DateTime.fromJSDate(start, { zone: timeZone }).plus({ days: 2 }).toJSDate(), timeZone).next().value![1];

/** The default start of a calendar report: the first of the month 11 months before its end, so 12 months show. */
function lastYear(end: Date, timeZone: string): Date {
  return DateTime.fromJSDate(end, { zone: timeZone }).startOf('month').minus({ months: 11 }).toJSDate();
}

/** Every usage report, in the order `show-usage --help` lists them; the default is `monthly`. */
export const USAGE_REPORTS: readonly UsageReportDescription[] = [
  {
    name: 'daily',
    method: 'dailyUsage',
    periodsText: ["days; the date column is each day's end, and partial marks", "a day cut short by the report's end (today's, still running)"],
    needsSubscriptionStart: true,
    fullPeriodEnd: nextDay,
    fetch: (api, { subscriptionStart, range }) => api.dailyUsage(subscriptionStart!, range),
  },
  {
    name: 'monthly',
    method: 'customerMonthlyUsage',
    periodsText: ['customer months, anchored on --subscription-start (default)'],
    needsSubscriptionStart: true,
    labelColumn: ['month', 'yearMonth'],
    fetch: (api, { subscriptionStart, range }) => api.customerMonthlyUsage(subscriptionStart!, range),
  },
  {
    name: 'quarterly',
    method: 'customerQuarterlyUsage',
    periodsText: ['customer quarters'],
    needsSubscriptionStart: true,
    labelColumn: ['quarter', 'yearQuarter'],
    fetch: (api, { subscriptionStart, range }) => api.customerQuarterlyUsage(subscriptionStart!, range),
  },
  {
    name: 'yearly',
    method: 'customerYearlyUsage',
    periodsText: ['customer years'],
    needsSubscriptionStart: true,
    labelColumn: ['year', 'year'],
    fetch: (api, { subscriptionStart, range }) => api.customerYearlyUsage(subscriptionStart!, range),
  },
  {
    name: 'calendar',
    method: 'calendarMonthlyUsage',
    periodsText: ['calendar months (no --subscription-start needed;', 'from --after, else the last 12 months)'],
    needsSubscriptionStart: false,
    labelColumn: ['month', 'calendarYearMonth'],
    fetch: (api, { subscriptionStart, range, timeZone, now }) =>
      api.calendarMonthlyUsage({ start: range.start ?? subscriptionStart ?? lastYear(range.end ?? now, timeZone), end: range.end }),
  },
];

/** The default report of `show-usage`. @internal */
export const DEFAULT_USAGE_REPORT: UsageReportKind = 'monthly';

/** The description of usage report `name`. @internal */
export function usageReport(name: UsageReportKind): UsageReportDescription {
  return USAGE_REPORTS.find((report) => report.name === name)!;
}

/** A usage report's column names: its label (or date) column, start and end for labelled reports, then the counts. */
export function usageHeaders(report: UsageReportDescription): string[] {
  const columns = report.labelColumn ? [report.labelColumn[0], 'start', 'end', ...USAGE_COUNT_COLUMNS] : ['date', ...USAGE_COUNT_COLUMNS];
  return report.fullPeriodEnd ? [...columns, PARTIAL_COLUMN] : columns;
}

/**
 * A usage report's rows as cells, in the order of `usageHeaders`, oldest first; `format`
 * writes an instant (the CLI: strftime in the zone; the dashboard: a local date).
 */
export function usageCells(
  report: UsageReportDescription,
  rows: readonly UsageRow[],
  format: (instant: Date) => string,
  timeZone: string,
): UsageCell[][] {
  const counts = (row: UsageRow): UsageCell[] => [row.usage.registeredUsers, row.usage.activatedUsers, row.usage.activeUsers];
  const label = report.labelColumn?.[1];
  const { fullPeriodEnd } = report;
  // Only the last period can be cut: every other one ends where the next starts.
  const partial = (row: UsageRow, i: number): UsageCell[] =>
    fullPeriodEnd ? [i === rows.length - 1 && row.period.end < fullPeriodEnd(row.period.start, timeZone)] : [];
  return rows.map((row, i) =>
    label === undefined
      ? [format(row.period.end), ...counts(row), ...partial(row, i)]
      : [row.labels?.[label] ?? null, format(row.period.start), format(row.period.end), ...counts(row), ...partial(row, i)],
  );
}
