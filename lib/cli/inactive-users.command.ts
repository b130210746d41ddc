import { CliUsageError } from '../errors/cli-usage.error.js';
import { SouvenirsError } from '../errors/souvenirs.error.js';
import { SouvenirsCalendar } from '../calendar/souvenirs-calendar.js';
import { DATE_FORMS, parseCliDate } from '../calendar/parse-date.js';
import { ReportsService } from '../reports/reports.service.js';
import { csvField, formatReport, type ReportCell, type ReportFormat } from '../shared/report-output.js';
import type { UserRef } from '../activity/user-ref.js';
import { outputFormat, parseCliArguments } from './cli-arguments.js';
import { writeOut, type CliCommand } from './cli-command.interface.js';

/** `inactive-users`' arguments once checked (the date is read in the module's zone when it runs). @internal */
export interface InactiveUsersArguments {
  since: string;
  tenant?: string;
  format: ReportFormat;
}

const OPTIONS = {
  since: { type: 'string' },
  tenant: { type: 'string' },
  csv: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HEADERS = ['user'];

const USAGE = `Usage: souvenirs inactive-users --since DATE [--tenant ID] [--csv|--json]

Lists the users of the \`users\` entity with no activity since DATE (idle seats to
reclaim), one per row, by their primary key. Needs the \`users: { entity, joinedAt }\`
option.

DATE is ${DATE_FORMS}; without an offset it is wall-clock time in the module's timeZone.

Options:
  --since DATE   users not active at or after this instant are listed (required)
  --tenant ID    only that tenant's users (the \`users.tenant\` property), idle in it
  --csv          CSV instead of a table (written as the users are found)
  --json         JSON (an array of objects keyed by column) instead of a table
  -h, --help     show this help
`;

/**
 * `souvenirs inactive-users`: `ReportsService.inactiveUsers` as a table, CSV or JSON.
 *
 * @internal
 */
export const inactiveUsersCommand: CliCommand<InactiveUsersArguments> = {
  name: 'inactive-users',
  summary: 'list the users with no activity since a date (idle seats)',
  usage: USAGE,

  async parse(args) {
    const { values, positionals } = parseCliArguments(args, OPTIONS, { allowPositionals: true });
    if (values.help) return 'help';
    if (positionals.length > 0) throw new CliUsageError(`unexpected argument ${JSON.stringify(positionals[0])}.`);
    if (values.since === undefined) throw new CliUsageError('--since DATE is required: the users not active since then are listed.');
    return { since: values.since, tenant: values.tenant, format: outputFormat(values) };
  },

  async run(context, { since, tenant, format }, io) {
    const reports = context.get(ReportsService, { strict: false });
    const { timeZone } = context.get(SouvenirsCalendar, { strict: false });
    const users = reports.inactiveUsers({ since: parseCliDate(since, timeZone, '--since'), tenant })[Symbol.asyncIterator]();
    let next: IteratorResult<UserRef>;
    try {
      // The arguments are checked on the first step: nothing is written before it.
      next = await users.next();
    } catch (error) {
      // No users entity, a bad tenant, a date out of range: what the user set up or typed, so a usage error.
      if (error instanceof SouvenirsError) throw new CliUsageError(error.message);
      throw error;
    }
    const rows: ReportCell[][] = [];
    // CSV goes out as the pages come (a million idle seats need no memory); a table needs its widths first.
    if (format === 'csv') await writeOut(io.stdout, `${HEADERS.join(',')}\n`);
    for (; !next.done; next = await users.next()) {
      const cell = typeof next.value === 'object' ? next.value.id : next.value;
      if (format === 'csv') await writeOut(io.stdout, `${csvField(cell)}\n`);
      else rows.push([cell]);
    }
    if (format !== 'csv') await writeOut(io.stdout, formatReport({ headers: HEADERS, rows }, format));
  },
};
