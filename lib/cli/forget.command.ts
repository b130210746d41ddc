import { readFile } from 'node:fs/promises';
import { ActivityService } from '../activity/activity.service.js';
import { CliUsageError } from '../errors/cli-usage.error.js';
import { parseCliArguments } from './cli-arguments.js';
import { writeOut, type CliCommand } from './cli-command.interface.js';

const OPTIONS = {
  'from-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const USAGE = `Usage: souvenirs forget USER... [--from-file FILE]

Erases every trace of each USER (their souvenirs, rate-limit claims and place in
the active-users index) and prints "erased N rows of M users". Running it again
erases nothing more. Metricas are not touched: they hold no user ids unless the
application put one in an axis value.

Options:
  --from-file FILE  also forget the users listed in FILE, one id per line (blank lines skipped)
  -h, --help        show this help
`;

/**
 * `souvenirs forget USER…`: `ActivityService.forget` for each user, one after the other.
 *
 * @internal
 */
export const forgetCommand: CliCommand<{ users: string[]; fromFile: string | undefined }> = {
  name: 'forget',
  summary: 'erase every trace of users (rows, claims, index entries)',
  usage: USAGE,

  async parse(args) {
    const { values, positionals } = parseCliArguments(args, OPTIONS, { allowPositionals: true });
    if (values.help) return 'help';
    if (positionals.length === 0 && values['from-file'] === undefined) throw new CliUsageError('name at least one USER to forget, or --from-file FILE.');
    return { users: positionals, fromFile: values['from-file'] };
  },

  async run(context, { users, fromFile }, io) {
    const activity = context.get(ActivityService, { strict: false });
    const listed = fromFile === undefined ? [] : await readUsers(fromFile);
    const all = [...new Set([...users, ...listed])];
    let rows = 0;
    for (const user of all) rows += (await activity.forget(user)).rows;
    await writeOut(io.stdout, `erased ${rows} rows of ${all.length} users\n`);
  },
};

/** The user ids of a file, one a line (CRLF too), blank lines skipped. */
async function readUsers(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliUsageError(`cannot read --from-file ${JSON.stringify(file)}: ${(error as Error).message}`);
  }
  return text.split(/\r?\n/).filter((line) => line.trim() !== '');
}
