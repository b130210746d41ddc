import { ActivityService } from '../activity/activity.service.js';
import { CliUsageError } from '../errors/cli-usage.error.js';
import { SouvenirsCalendar } from '../calendar/souvenirs-calendar.js';
import { parseCliArguments } from './cli-arguments.js';
import { reindexProgress } from './reindex-progress.js';
import { writeOut, type CliCommand } from './cli-command.interface.js';
import { DATE_FORMS, parseCliDate } from '../calendar/parse-date.js';

const OPTIONS = {
  before: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const USAGE = `Usage: souvenirs prune --before DATE

Deletes every souvenir before DATE, in batches of 1000, and prints "pruned N rows".
The active-users index forgets those days; counts and reports reaching before
DATE are refused from then on (the retention option does this once a day).

DATE is ${DATE_FORMS}; without an offset it is wall-clock time in the module's timeZone.

Options:
  --before DATE  rows strictly before DATE are deleted (required)
  -h, --help     show this help
`;

/**
 * `souvenirs prune --before DATE`: `ActivityService.prune`, with a progress bar over
 * rows on stderr when it is a terminal.
 *
 * @internal
 */
export const pruneCommand: CliCommand<{ before: string }> = {
  name: 'prune',
  summary: 'delete the activity before a date',
  usage: USAGE,

  async parse(args) {
    const { values, positionals } = parseCliArguments(args, OPTIONS, { allowPositionals: true });
    if (values.help) return 'help';
    if (positionals.length > 0) throw new CliUsageError(`unexpected argument ${JSON.stringify(positionals[0])}.`);
    if (values.before === undefined) throw new CliUsageError('--before DATE is required: the rows before it are deleted.');
    return { before: values.before };
  },

  async run(context, { before }, io) {
    const activity = context.get(ActivityService, { strict: false });
    const { timeZone } = context.get(SouvenirsCalendar, { strict: false });
    const at = parseCliDate(before, timeZone, '--before');
    const progress = reindexProgress(io.stderr, 'prune', 'rows');
    try {
      const { rows } = await activity.prune({ before: at, onProgress: progress.onProgress });
      await writeOut(io.stdout, `pruned ${rows} rows\n`);
    } finally {
      progress.stop();
    }
  },
};
