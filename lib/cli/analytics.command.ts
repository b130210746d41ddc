import type { INestApplicationContext } from '@nestjs/common';
import { DateTime } from 'luxon';
import {
  ANALYTICS_REPORTS,
  type AnalyticsReportArguments,
  type AnalyticsReportDescription,
} from '../reports/analytics-report-descriptions.js';
import type { AnalyticsPeriodKind } from '../calendar/analytics-calendar.js';
import type { RetentionMode } from '../reports/analytics-rows.interface.js';
import { CliUsageError } from '../errors/cli-usage.error.js';
import { SouvenirsError } from '../errors/souvenirs.error.js';
import { withBuildProgress } from './reindex-progress.js';
import { outputFormat, parseCliArguments, parsePositiveInteger } from './cli-arguments.js';
import { writeOut, type CliCommand } from './cli-command.interface.js';
import { DATE_FORMS, parseCliDate } from '../calendar/parse-date.js';
import { strftime } from './strftime.js';
import { TENANT_HELP, TENANT_OPTION, reportsFor } from './tenant-flag.js';
import { formatReport, type ReportFormat } from '../shared/report-output.js';
import { SouvenirsCalendar } from '../calendar/souvenirs-calendar.js';

/** An analytics command's arguments once checked; dates are still text (read in the module's zone). @internal */
export interface AnalyticsCommandArguments {
  after?: string;
  before?: string;
  period: AnalyticsPeriodKind;
  mode: RetentionMode;
  counts: boolean;
  recent?: number;
  tenant?: string;
  datefmt: string;
  format: ReportFormat;
}

const OPTIONS = {
  after: { type: 'string' },
  before: { type: 'string' },
  period: { type: 'string' },
  mode: { type: 'string' },
  counts: { type: 'boolean' },
  recent: { type: 'string' },
  ...TENANT_OPTION,
  datefmt: { type: 'string' },
  csv: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const choices = (values: readonly string[]) => values.map((value) => `'${value}'`).join(', ');

function usage(report: AnalyticsReportDescription): string {
  const lines = [
    `Usage: souvenirs ${report.name} [options]`,
    '',
    `Shows ${report.summary}, oldest first.`,
    `Periods: ${report.periodsText}; in the module's timeZone.`,
    '',
    'Options:',
    '  --after DATE               the range start (inclusive; default: the last few periods)',
    '  --before DATE              the range end (exclusive, default now)',
  ];
  if (report.periods.length > 1) lines.push(`  --period PERIOD            ${choices(report.periods)} (default ${report.periods[0]})`);
  if (report.modes.length > 0) lines.push(`  --mode MODE                ${choices(report.modes)} (default ${report.modes[0]})`);
  if (report.name === 'retention') lines.push('  --counts                   counts instead of shares of each cohort (percentages in\n                             the table, fractions in --csv and --json)');
  lines.push(
    '  --recent [N]               show only the N (1) most recent periods',
    TENANT_HELP.trimEnd(),
    '  --datefmt FORMAT           strftime format of date columns (default %Y-%m-%d)',
    '  --csv                      CSV instead of a table',
    '  --json                     JSON (an array of objects keyed by column) instead of a table',
    '  -h, --help                 show this help',
    '',
    `DATE: ${DATE_FORMS}; without an offset it is wall-clock time in the module's timeZone.`,
    '',
  );
  return lines.join('\n');
}

/**
 * A `souvenirs` command for one analytics report, built from its description:
 * `active-users`, `retention`, `lifecycle`, `stickiness`.
 *
 * @internal
 */
export function analyticsCommand(report: AnalyticsReportDescription): CliCommand<AnalyticsCommandArguments> {
  return {
    name: report.name,
    summary: report.summary,
    usage: usage(report),

    async parse(args) {
      const { values } = parseCliArguments(args, OPTIONS, { optionalValues: { recent: '1' } });
      if (values.help) return 'help';
      const period = (values.period ?? report.periods[0]) as AnalyticsPeriodKind;
      if (!report.periods.includes(period)) {
        throw new CliUsageError(`--period must be one of ${choices(report.periods)} for ${report.name}, not ${JSON.stringify(values.period)}.`);
      }
      const mode = (values.mode ?? report.modes[0] ?? 'classic') as RetentionMode;
      if (values.mode !== undefined && !report.modes.includes(mode)) {
        throw new CliUsageError(
          report.modes.length === 0 ? `${report.name} has no --mode.` : `--mode must be one of ${choices(report.modes)}, not ${JSON.stringify(values.mode)}.`,
        );
      }
      if (values.counts && report.name !== 'retention') throw new CliUsageError(`--counts is for retention only.`);
        return {
        after: values.after,
        before: values.before,
        period,
        mode,
        counts: values.counts ?? false,
        recent: values.recent === undefined ? undefined : parsePositiveInteger('--recent', values.recent),
        tenant: values.tenant,
        datefmt: values.datefmt ?? '%Y-%m-%d',
        format: outputFormat(values),
      };
    },

    async run(context, parsed, io) {
      // A first call on an install whose days were never built draws the reindex bar.
      const { table: figures, args } = await withBuildProgress(context, io.stderr, () => runAnalytics(context, report, parsed));
      // The plain table is read by a person (retention in percentages); CSV and JSON keep the numbers.
      const table = parsed.format === 'table' && report.display ? report.display(figures, args) : figures;
      const rows = parsed.recent === undefined ? table.rows : table.rows.slice(-parsed.recent);
      await writeOut(io.stdout, formatReport({ headers: table.headers, rows }, parsed.format));
    },
  };
}

/** Reads the dates in the module's zone, runs the report, and formats its table. */
async function runAnalytics(context: INestApplicationContext, report: AnalyticsReportDescription, parsed: AnalyticsCommandArguments) {
  const reports = reportsFor(context, parsed.tenant);
  const { timeZone, now } = context.get(SouvenirsCalendar, { strict: false });
  const end = parsed.before === undefined ? undefined : parseCliDate(parsed.before, timeZone, '--before');
  const start = parsed.after === undefined ? report.defaultStart(end ?? now(), parsed.period, timeZone) : parseCliDate(parsed.after, timeZone, '--after');
  if (end && end < start) throw new CliUsageError(`--before (${parsed.before}) is earlier than --after (${parsed.after}).`);
  const args: AnalyticsReportArguments = { start, end, period: parsed.period, mode: parsed.mode, counts: parsed.counts };
  let rows: unknown[];
  try {
    rows = await report.fetch(reports, args);
  } catch (error) {
    // A range too long, a bad period: what the user typed, so a usage error.
    if (error instanceof SouvenirsError) throw new CliUsageError(error.message);
    throw error;
  }
  const format = (instant: Date) => strftime(DateTime.fromJSDate(instant, { zone: timeZone }), parsed.datefmt);
  return { table: report.table(rows, args, format), args };
}

/** The four analytics commands, one per description. @internal */
export const ANALYTICS_COMMANDS = ANALYTICS_REPORTS.map(analyticsCommand);
