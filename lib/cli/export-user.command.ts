import { ActivityService } from '../activity/activity.service.js';
import { CliUsageError } from '../errors/cli-usage.error.js';
import { outputFormat, parseCliArguments } from './cli-arguments.js';
import { writeOut, type CliCommand } from './cli-command.interface.js';
import { csvField, formatTable, type ReportFormat } from '../shared/report-output.js';

const OPTIONS = {
  json: { type: 'boolean' },
  csv: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const USAGE = `Usage: souvenirs export-user USER [--json|--csv]

Prints every souvenir of USER, oldest first: when it was (ISO 8601, UTC) and the
tenant it was recorded in (empty for none). What the package holds about a person.

Options:
  --csv       CSV (a header row "when,tenant", then the rows), streamed
  --json      a JSON array of {"when", "tenant"} objects, streamed
  -h, --help  show this help
`;

/**
 * `souvenirs export-user USER`: `ActivityService.exportUser`, as a table, or streamed as
 * CSV (through the neutralising `csvField`) or JSON.
 *
 * @internal
 */
export const exportUserCommand: CliCommand<{ user: string; format: ReportFormat }> = {
  name: 'export-user',
  summary: "print every souvenir of a user (a person's data)",
  usage: USAGE,

  async parse(args) {
    const { values, positionals } = parseCliArguments(args, OPTIONS, { allowPositionals: true });
    if (values.help) return 'help';
    if (positionals.length !== 1) throw new CliUsageError(`expected one USER, received ${positionals.length}.`);
    return { user: positionals[0], format: outputFormat(values) };
  },

  async run(context, { user, format }, io) {
    const activity = context.get(ActivityService, { strict: false });
    const rows = activity.exportUser(user);
    if (format === 'table') {
      const table: (string | null)[][] = [];
      for await (const { when, tenant } of rows) table.push([when.toISOString(), tenant]);
      await writeOut(io.stdout, formatTable({ headers: ['when', 'tenant'], rows: table }));
      return;
    }
    if (format === 'csv') {
      await writeOut(io.stdout, 'when,tenant\n');
      for await (const { when, tenant } of rows) await writeOut(io.stdout, `${csvField(when.toISOString())},${csvField(tenant)}\n`);
      return;
    }
    let first = true;
    await writeOut(io.stdout, '[');
    for await (const row of rows) {
      await writeOut(io.stdout, `${first ? '\n' : ',\n'}  ${JSON.stringify({ when: row.when.toISOString(), tenant: row.tenant })}`);
      first = false;
    }
    await writeOut(io.stdout, first ? ']\n' : '\n]\n');
  },
};
