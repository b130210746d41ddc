import { stat } from 'node:fs/promises';
import { ActivityService } from '../activity/activity.service.js';
import { CliUsageError } from '../errors/cli-usage.error.js';
import { InvalidBackfillEntryError } from '../errors/invalid-backfill-entry.error.js';
import { InvalidBackfillRecordError } from '../errors/invalid-backfill-record.error.js';
import { SouvenirsCalendar } from '../calendar/souvenirs-calendar.js';
import { backfillProgress } from './backfill-progress.js';
import { MalformedRecord, readBackfillRecords, type BackfillReadState } from './backfill-records.js';
import { parseCliArguments, parsePositiveInteger } from './cli-arguments.js';
import { writeOut, type CliCommand } from './cli-command.interface.js';
import { DATE_FORMS } from '../calendar/parse-date.js';

/** `backfill`'s arguments once checked. @internal */
export interface BackfillArguments {
  file: string;
  size: number;
  checkDuplicate: boolean;
  batchSize?: number;
}

/** The most entries `ActivityService.backfill` writes in one INSERT. */
const MAX_BATCH_SIZE = 10_000;

const OPTIONS = {
  'check-duplicate': { type: 'boolean' },
  'batch-size': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const USAGE = `Usage: souvenirs backfill FILE [--check-duplicate] [--batch-size N]

Imports past activity from FILE, in batches, and prints "added N, duplicated M".

FILE is CSV with a header naming "user" and "when" columns:
    user,when
    42,2016-03-01T09:30:00Z
or JSON lines, one object a line:
    {"user": 42, "when": "2016-03-01T09:30:00Z"}
told apart by the extension (.csv; .jsonl, .ndjson), else by a first "{".
"when" is ${DATE_FORMS}; without an offset it is wall-clock time in the module's timeZone.

Options:
  --check-duplicate  skip records already stored (same user and when) or repeated
  --batch-size N     records per INSERT (default 1000, at most ${MAX_BATCH_SIZE})
  -h, --help         show this help

A malformed record stops the import with its line number (exit code 1); the batches
before it stay written, so fix the line and re-run with --check-duplicate.
`;

/**
 * `souvenirs backfill FILE`: imports activity through `ActivityService.backfill`, streaming
 * the file. Prints `added N, duplicated M` on stdout (N souvenirs written, M skipped by
 * `--check-duplicate`), with a progress bar on stderr when it is a terminal.
 *
 * @internal
 */
export const backfillCommand: CliCommand<BackfillArguments> = {
  name: 'backfill',
  summary: 'import past activity from a CSV or JSON-lines file',
  usage: USAGE,

  async parse(args) {
    const { values, positionals } = parseCliArguments(args, OPTIONS, { allowPositionals: true });
    if (values.help) return 'help';
    if (positionals.length !== 1) {
      throw new CliUsageError(`expected one FILE to import, received ${positionals.length}: ${positionals.join(' ') || 'none'}.`);
    }
    const batchSize =
      values['batch-size'] === undefined ? undefined : parsePositiveInteger('--batch-size', values['batch-size'], MAX_BATCH_SIZE);
    const [file] = positionals;
    const stats = await stat(file).catch((error: NodeJS.ErrnoException) => {
      throw new CliUsageError(`cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}.`);
    });
    if (!stats.isFile()) throw new CliUsageError(`${file} is not a file.`);
    return {
      file,
      size: stats.size,
      checkDuplicate: values['check-duplicate'] ?? false,
      batchSize,
    };
  },

  async run(context, { file, size, checkDuplicate, batchSize }, io) {
    const activity = context.get(ActivityService, { strict: false });
    const { timeZone } = context.get(SouvenirsCalendar, { strict: false });
    const state: BackfillReadState = { line: 0, bytesRead: 0 };
    const progress = backfillProgress(io.stderr, size);
    let processed = 0;
    let result;
    try {
      result = await activity.backfill(readBackfillRecords(file, timeZone, state), {
        checkDuplicate,
        batchSize,
        onProgress: (done) => {
          processed = done;
          progress.update(state.bytesRead, done);
        },
      });
    } catch (error) {
      // Both fail on the record just read: the reader's own checks, or the service's (a user
      // id too long, …). Either way `state.line` is its line.
      if (error instanceof MalformedRecord) {
        throw new InvalidBackfillRecordError(file, state.line, error.message, processed);
      }
      if (error instanceof InvalidBackfillEntryError) {
        throw new InvalidBackfillRecordError(file, state.line, error.reason, error.processed);
      }
      throw error;
    } finally {
      progress.stop();
    }
    await writeOut(io.stdout, `added ${result.added}, duplicated ${result.duplicated}\n`);
  },
};
