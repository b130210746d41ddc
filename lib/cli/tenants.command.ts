import { DateTime } from 'luxon';
import { CliUsageError } from '../errors/cli-usage.error.js';
import { SouvenirsError } from '../errors/souvenirs.error.js';
import { ReportsService } from '../reports/reports.service.js';
import { SouvenirsCalendar } from '../calendar/souvenirs-calendar.js';
import { DATE_FORMS, parseCliDate } from '../calendar/parse-date.js';
import { formatReport, type ReportFormat } from '../shared/report-output.js';
import { outputFormat, parseCliArguments } from './cli-arguments.js';
import { writeOut, type CliCommand } from './cli-command.interface.js';

/** `tenants`' arguments once checked; dates are still text (read in the module's zone). @internal */
export interface TenantsArguments {
  after?: string;
  before?: string;
  format: ReportFormat;
}

const OPTIONS = {
  after: { type: 'string' },
  before: { type: 'string' },
  csv: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const USAGE = `Usage: souvenirs tenants [options]

Shows every tenant's distinct active users over a range, largest first (ties by tenant):
the billing table. Tenants come from souvenez(user, { tenant }) and track.tenant.

Options:
  --after DATE               the range start (inclusive; default: the first of this
                             calendar month, 00:00, in the module's timeZone)
  --before DATE              the range end (exclusive, default now)
  --csv                      CSV instead of a table
  --json                     JSON (an array of objects keyed by column) instead of a table
  -h, --help                 show this help

DATE: ${DATE_FORMS}; without an offset it is wall-clock time in the module's timeZone.
`;

/**
 * `souvenirs tenants`: `reports.tenantsUsage` as a table, columns `tenant active`.
 *
 * @internal
 */
export const tenantsCommand: CliCommand<TenantsArguments> = {
  name: 'tenants',
  summary: "every tenant's distinct active users over a range, largest first (billing)",
  usage: USAGE,

  async parse(args) {
    const { values } = parseCliArguments(args, OPTIONS);
    if (values.help) return 'help';
    return { after: values.after, before: values.before, format: outputFormat(values) };
  },

  async run(context, parsed, io) {
    const reports = context.get(ReportsService, { strict: false });
    const { timeZone, now } = context.get(SouvenirsCalendar, { strict: false });
    const end = parsed.before === undefined ? undefined : parseCliDate(parsed.before, timeZone, '--before');
    const start =
      parsed.after === undefined
        ? DateTime.fromJSDate(end ?? now(), { zone: timeZone }).startOf('month').toJSDate()
        : parseCliDate(parsed.after, timeZone, '--after');
    if (end && end < start) throw new CliUsageError(`--before (${parsed.before}) is earlier than --after (${parsed.after}).`);
    let usage;
    try {
      usage = await reports.tenantsUsage({ start, end });
    } catch (error) {
      // A date out of the supported years: what the user typed.
      if (error instanceof SouvenirsError) throw new CliUsageError(error.message);
      throw error;
    }
    const rows = usage.map(({ tenant, activeUsers }) => [tenant, activeUsers]);
    await writeOut(io.stdout, formatReport({ headers: ['tenant', 'active'], rows }, parsed.format));
  },
};
