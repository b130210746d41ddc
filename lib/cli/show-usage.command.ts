import type { INestApplicationContext } from '@nestjs/common';
import { DateTime } from 'luxon';
import { CliUsageError } from '../errors/cli-usage.error.js';
import { InvalidRangeError } from '../errors/invalid-range.error.js';
import { withBuildProgress } from './reindex-progress.js';
import type { UsageRow } from '../reports/usage-row.interface.js';
import { SouvenirsCalendar } from '../calendar/souvenirs-calendar.js';
import {
  DEFAULT_USAGE_REPORT,
  USAGE_REPORTS,
  cutLastPeriod,
  usageCells,
  usageHeaders,
  usageReport,
  type UsageReportDescription,
  type UsageReportKind,
} from '../reports/usage-report-descriptions.js';
import { outputFormat, parseCliArguments, parsePositiveInteger } from './cli-arguments.js';
import { writeOut, type CliCommand, type CliIo } from './cli-command.interface.js';
import { DATE_FORMS, parseCliDate } from '../calendar/parse-date.js';
import { strftime } from './strftime.js';
import { TENANT_HELP, TENANT_OPTION, reportsFor } from './tenant-flag.js';
import { formatReport, type ReportCell, type ReportFormat, type ReportTable } from '../shared/report-output.js';

export type { UsageReportKind };

/** `show-usage`'s arguments once checked; dates are still text (read in the module's zone). @internal */
export interface ShowUsageArguments {
  report: UsageReportKind;
  subscriptionStart?: string;
  after?: string;
  before?: string;
  recent?: number;
  ascending: boolean;
  tenant?: string;
  datefmt: string;
  format: ReportFormat;
}

const OPTIONS = {
  'subscription-start': { type: 'string' },
  after: { type: 'string' },
  before: { type: 'string' },
  // One flag per usage report, from its description.
  ...(Object.fromEntries(USAGE_REPORTS.map((report) => [report.name, { type: 'boolean' }])) as Record<UsageReportKind, { type: 'boolean' }>),
  recent: { type: 'string' },
  ascending: { type: 'boolean' },
  ...TENANT_OPTION,
  datefmt: { type: 'string' },
  csv: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Where the help's descriptions start, after the flags. */
const HELP_COLUMN = 29;
/** A report's lines in the help: its flag, then how its periods are made, aligned with the options. */
function reportHelp(report: UsageReportDescription): string {
  return report.periodsText.map((text, i) => `${(i === 0 ? `  --${report.name}` : '').padEnd(HELP_COLUMN)}${text}\n`).join('');
}
const flags = (reports: readonly UsageReportDescription[], separator: string) => reports.map((report) => `--${report.name}`).join(separator);

const USAGE = `Usage: souvenirs show-usage [${flags(USAGE_REPORTS, ' | ')}] [options]

Shows registered, activated and active users per period, newest first.

Reports (one of):
${USAGE_REPORTS.map(reportHelp).join('')}Options:
  --subscription-start DATE  customer subscription start or renewal date
                             (required by ${flags(USAGE_REPORTS.filter((report) => report.needsSubscriptionStart), ', ')})
  --after DATE               include periods ending after DATE (inclusive start)
  --before DATE              include periods before DATE (exclusive end, default now)
  --recent [N]               show only the N (1) most recent periods
  --ascending                oldest first
${TENANT_HELP}  --datefmt FORMAT           strftime format of date columns (default %Y-%m-%d)
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
    const chosen = USAGE_REPORTS.map((report) => report.name).filter((name) => values[name]);
    if (chosen.length > 1) {
      throw new CliUsageError(`choose one report, not ${chosen.map((r) => `--${r}`).join(' and ')}.`);
    }
    const report = chosen[0] ?? DEFAULT_USAGE_REPORT;
    if (usageReport(report).needsSubscriptionStart && values['subscription-start'] === undefined) {
      throw new CliUsageError(`the ${report} report requires --subscription-start DATE (or use --calendar).`);
    }
    return {
      report,
      subscriptionStart: values['subscription-start'],
      after: values.after,
      before: values.before,
      recent: values.recent === undefined ? undefined : parsePositiveInteger('--recent', values.recent),
      ascending: values.ascending ?? false,
      tenant: values.tenant,
      datefmt: values.datefmt ?? '%Y-%m-%d',
      format: outputFormat(values),
    };
  },

  async run(context, parsed, io) {
    // A first call on an install whose days were never built draws the reindex bar.
    const { table, note } = await withBuildProgress(context, io.stderr, () => usageTable(context, parsed));
    await writeOut(io.stdout, formatReport(table, parsed.format));
    // On stderr, so stdout keeps django-souvenirs' columns for scripts (SPEC).
    if (note) await writeOut(io.stderr, `${note}\n`);
  },
};

/**
 * The report `parsed` asks for, as headers and display-ordered rows, and a note naming the
 * last period when the report's end cut it short (daily: today's day, still running, shows the
 * same date as the full day before it).
 *
 * @throws CliUsageError for an unreadable date, or `--before` earlier than the start.
 */
async function usageTable(context: INestApplicationContext, parsed: ShowUsageArguments): Promise<{ table: ReportTable; note?: string }> {
  const reports = reportsFor(context, parsed.tenant);
  const { timeZone, now } = context.get(SouvenirsCalendar, { strict: false });
  const date = (flag: string, text: string | undefined) =>
    text === undefined ? undefined : parseCliDate(text, timeZone, flag);
  const subscriptionStart = date('--subscription-start', parsed.subscriptionStart);
  const range = { start: date('--after', parsed.after), end: date('--before', parsed.before) };
  if (range.start && range.end && range.end < range.start) {
    throw new CliUsageError(`--before (${parsed.before}) is earlier than --after (${parsed.after}).`);
  }

  const report = usageReport(parsed.report);
  let rows: UsageRow[];
  try {
    rows = await report.fetch(reports, { subscriptionStart, range, timeZone, now: now() });
  } catch (error) {
    // The only range the service can reject is one the user typed: a usage error.
    if (error instanceof InvalidRangeError) throw new CliUsageError(`--before is too early: ${error.message}`);
    throw error;
  }

  const format = (instant: Date) => strftime(DateTime.fromJSDate(instant, { zone: timeZone }), parsed.datefmt);
  let cells: ReportCell[][] = usageCells(report, rows, format);
  // Reports come oldest first; --recent keeps the newest N, then newest first for display.
  if (parsed.recent !== undefined) cells = cells.slice(-parsed.recent);
  if (!parsed.ascending) cells.reverse();
  const cut = cutLastPeriod(report, rows, timeZone);
  const note = cut && `souvenirs: the day ending ${format(cut.period.end)} is cut short by the report's end (still running, or cut at --before): a partial day, not a duplicate of the day before.`;
  return { table: { headers: usageHeaders(report), rows: cells }, note: note || undefined };
}
