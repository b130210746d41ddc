import type { INestApplicationContext } from '@nestjs/common';
import { DateTime } from 'luxon';
import { CliUsageError } from '../errors/cli-usage.error.js';
import { InvalidRangeError } from '../errors/invalid-range.error.js';
import { ReportsService } from '../reports/reports.service.js';
import type { UsageRow } from '../reports/usage-row.interface.js';
import type { ResolvedReportsOptions } from '../reports/reports-options.interface.js';
import { SOUVENIRS_REPORTS_OPTIONS } from '../reports/reports.internal-constants.js';
import { parseCliArguments, parsePositiveInteger } from './cli-arguments.js';
import { writeOut, type CliCommand, type CliIo } from './cli-command.interface.js';
import { DATE_FORMS, parseCliDate } from './cli-date.js';
import { strftime } from './strftime.js';
import { formatReport, type ReportCell, type ReportFormat, type ReportTable } from './usage-output.js';

/** The reports of `show-usage`. @publicApi */
export type UsageReportKind = 'daily' | 'monthly' | 'quarterly' | 'yearly' | 'calendar';

/** `show-usage`'s arguments once checked; dates are still text (read in the module's zone). @internal */
export interface ShowUsageArguments {
  report: UsageReportKind;
  subscriptionStart?: string;
  after?: string;
  before?: string;
  recent?: number;
  ascending: boolean;
  datefmt: string;
  format: ReportFormat;
}

const REPORTS: UsageReportKind[] = ['daily', 'monthly', 'quarterly', 'yearly', 'calendar'];
const COUNTS = ['registered', 'activated', 'active'];
/** The label column of each period report: its header and the row label it shows. */
const LABEL_COLUMNS: Record<Exclude<UsageReportKind, 'daily'>, [header: string, label: string]> = {
  monthly: ['month', 'yearMonth'],
  quarterly: ['quarter', 'yearQuarter'],
  yearly: ['year', 'year'],
  calendar: ['month', 'calendarYearMonth'],
};

const OPTIONS = {
  'subscription-start': { type: 'string' },
  after: { type: 'string' },
  before: { type: 'string' },
  daily: { type: 'boolean' },
  monthly: { type: 'boolean' },
  quarterly: { type: 'boolean' },
  yearly: { type: 'boolean' },
  calendar: { type: 'boolean' },
  recent: { type: 'string' },
  ascending: { type: 'boolean' },
  datefmt: { type: 'string' },
  csv: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const USAGE = `Usage: souvenirs show-usage [--daily | --monthly | --quarterly | --yearly | --calendar] [options]

Shows registered, activated and active users per period, newest first.

Reports (one of):
  --daily                    days; the date column is each day's end
  --monthly                  customer months, anchored on --subscription-start (default)
  --quarterly                customer quarters
  --yearly                   customer years
  --calendar                 calendar months (no --subscription-start needed;
                             from --after, else the last 12 months)
Options:
  --subscription-start DATE  customer subscription start or renewal date
                             (required by --daily, --monthly, --quarterly, --yearly)
  --after DATE               include periods ending after DATE (inclusive start)
  --before DATE              include periods before DATE (exclusive end, default now)
  --recent [N]               show only the N (1) most recent periods
  --ascending                oldest first
  --datefmt FORMAT           strftime format of date columns (default %Y-%m-%d)
  --csv                      CSV instead of a table
  --json                     JSON (an array of objects keyed by column) instead of a table
  -h, --help                 show this help

DATE: ${DATE_FORMS}; without an offset it is wall-clock time in the module's timeZone.
`;

/**
 * `souvenirs show-usage`: django-souvenirs' usage report, same columns and semantics.
 *
 * @internal
 */
export const showUsageCommand: CliCommand<ShowUsageArguments> = {
  name: 'show-usage',
  summary: 'registered, activated and active users per day, month, quarter or year',
  usage: USAGE,

  async parse(args) {
    const { values } = parseCliArguments(args, OPTIONS, { optionalValues: { recent: '1' } });
    if (values.help) return 'help';
    const chosen = REPORTS.filter((report) => values[report]);
    if (chosen.length > 1) {
      throw new CliUsageError(`choose one report, not ${chosen.map((r) => `--${r}`).join(' and ')}.`);
    }
    const report = chosen[0] ?? 'monthly';
    if (report !== 'calendar' && values['subscription-start'] === undefined) {
      throw new CliUsageError(`the ${report} report requires --subscription-start DATE (or use --calendar).`);
    }
    if (values.csv && values.json) throw new CliUsageError('choose --csv or --json, not both.');
    return {
      report,
      subscriptionStart: values['subscription-start'],
      after: values.after,
      before: values.before,
      recent: values.recent === undefined ? undefined : parsePositiveInteger('--recent', values.recent),
      ascending: values.ascending ?? false,
      datefmt: values.datefmt ?? '%Y-%m-%d',
      format: values.csv ? 'csv' : values.json ? 'json' : 'table',
    };
  },

  async run(context, parsed, io) {
    const table = await usageTable(context, parsed);
    await writeOut(io.stdout, formatReport(table, parsed.format));
  },
};

/**
 * The report `parsed` asks for, as headers and display-ordered rows.
 *
 * @throws CliUsageError for an unreadable date, or `--before` earlier than the start.
 */
async function usageTable(context: INestApplicationContext, parsed: ShowUsageArguments): Promise<ReportTable> {
  const reports = context.get(ReportsService, { strict: false });
  const { timeZone, now } = context.get<ResolvedReportsOptions>(SOUVENIRS_REPORTS_OPTIONS, { strict: false });
  const date = (flag: string, text: string | undefined) =>
    text === undefined ? undefined : parseCliDate(text, timeZone, flag);
  const subscriptionStart = date('--subscription-start', parsed.subscriptionStart);
  const range = { start: date('--after', parsed.after), end: date('--before', parsed.before) };
  if (range.start && range.end && range.end < range.start) {
    throw new CliUsageError(`--before (${parsed.before}) is earlier than --after (${parsed.after}).`);
  }

  let rows: UsageRow[];
  try {
    rows = await fetchReport(reports, parsed.report, subscriptionStart, range, () => lastYear(range.end ?? now(), timeZone));
  } catch (error) {
    // The only range the service can reject is one the user typed: a usage error.
    if (error instanceof InvalidRangeError) throw new CliUsageError(`--before is too early: ${error.message}`);
    throw error;
  }

  const format = (instant: Date) => strftime(DateTime.fromJSDate(instant, { zone: timeZone }), parsed.datefmt);
  const counts = (row: UsageRow): ReportCell[] => [
    row.usage.registeredUsers,
    row.usage.activatedUsers,
    row.usage.activeUsers,
  ];
  let headers: string[];
  let cells: ReportCell[][];
  if (parsed.report === 'daily') {
    headers = ['date', ...COUNTS];
    cells = rows.map((row) => [format(row.period.end), ...counts(row)]);
  } else {
    const [header, label] = LABEL_COLUMNS[parsed.report];
    headers = [header, 'start', 'end', ...COUNTS];
    cells = rows.map((row) => [
      row.labels?.[label] ?? null,
      format(row.period.start),
      format(row.period.end),
      ...counts(row),
    ]);
  }
  // Reports come oldest first; --recent keeps the newest N, then newest first for display.
  if (parsed.recent !== undefined) cells = cells.slice(-parsed.recent);
  if (!parsed.ascending) cells.reverse();
  return { headers, rows: cells };
}

function fetchReport(
  reports: ReportsService,
  report: UsageReportKind,
  subscriptionStart: Date | undefined,
  range: { start?: Date; end?: Date },
  defaultCalendarStart: () => Date,
): Promise<UsageRow[]> {
  switch (report) {
    case 'daily':
      return reports.dailyUsage(subscriptionStart!, range);
    case 'monthly':
      return reports.customerMonthlyUsage(subscriptionStart!, range);
    case 'quarterly':
      return reports.customerQuarterlyUsage(subscriptionStart!, range);
    case 'yearly':
      return reports.customerYearlyUsage(subscriptionStart!, range);
    case 'calendar':
      return reports.calendarMonthlyUsage({ start: range.start ?? subscriptionStart ?? defaultCalendarStart(), end: range.end });
  }
}

/** The default start of a calendar report: the first of the month 11 months before its end, so 12 months show. */
function lastYear(end: Date, timeZone: string): Date {
  return DateTime.fromJSDate(end, { zone: timeZone }).startOf('month').minus({ months: 11 }).toJSDate();
}
