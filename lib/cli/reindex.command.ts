import { ActivityService } from '../activity/activity.service.js';
import { CliUsageError } from '../errors/cli-usage.error.js';
import { SouvenirsCalendar } from '../calendar/souvenirs-calendar.js';
import { parseCliArguments } from './cli-arguments.js';
import { reindexProgress } from './reindex-progress.js';
import { writeOut, type CliCommand } from './cli-command.interface.js';
import { DATE_FORMS, parseCliDate } from '../calendar/parse-date.js';

/** `reindex`'s arguments once checked (dates are read in the module's zone when it runs). @internal */
export interface ReindexArguments {
  after?: string;
  before?: string;
}

const OPTIONS = {
  after: { type: 'string' },
  before: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const USAGE = `Usage: souvenirs reindex [--after DATE] [--before DATE]

Rebuilds the active-users index (who was active on each local day) from the
souvenirs table, for the days meeting [--after, --before), by default every day
with activity, and prints "reindexed N days". Needed only after rows were
changed by plain SQL: a day the index never saw is built on first use anyway.

DATE is ${DATE_FORMS}; without an offset it is wall-clock time in the module's timeZone.

Options:
  --after DATE   first instant (inclusive; default: the first souvenir)
  --before DATE  end (exclusive; default: after the last souvenir)
  -h, --help     show this help
`;

/**
 * `souvenirs reindex`: `ActivityService.reindex` over a range, with a progress bar
 * over days on stderr when it is a terminal.
 *
 * @internal
 */
export const reindexCommand: CliCommand<ReindexArguments> = {
  name: 'reindex',
  summary: 'rebuild the active-users index from the souvenirs table',
  usage: USAGE,

  async parse(args) {
    const { values, positionals } = parseCliArguments(args, OPTIONS, { allowPositionals: true });
    if (values.help) return 'help';
    if (positionals.length > 0) throw new CliUsageError(`unexpected argument ${JSON.stringify(positionals[0])}.`);
    return { after: values.after, before: values.before };
  },

  async run(context, { after, before }, io) {
    const activity = context.get(ActivityService, { strict: false });
    const { timeZone } = context.get(SouvenirsCalendar, { strict: false });
    const start = after === undefined ? undefined : parseCliDate(after, timeZone, '--after');
    const end = before === undefined ? undefined : parseCliDate(before, timeZone, '--before');
    if (start && end && end < start) throw new CliUsageError(`--before (${before}) is earlier than --after (${after}).`);
    const progress = reindexProgress(io.stderr);
    try {
      const { days } = await activity.reindex({ start, end }, { onProgress: progress.onProgress });
      await writeOut(io.stdout, `reindexed ${days} days\n`);
    } finally {
      progress.stop();
    }
  },
};
