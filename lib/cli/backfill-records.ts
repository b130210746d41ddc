import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import type { BackfillEntry } from '../activity/activity.service.js';
import { readDate } from '../calendar/parse-date.js';

/** The file formats `souvenirs backfill` reads. */
export type BackfillFileFormat = 'csv' | 'jsonl';

/**
 * Where the reading of a backfill file is: the line of the record last handed out (so an
 * error about it can name its line) and how many bytes were read (for the progress bar).
 *
 * @internal
 */
export interface BackfillReadState {
  line: number;
  bytesRead: number;
}

/** A record that cannot be read: what is wrong with it, at `state.line`. @internal */
export class MalformedRecord extends Error {}

/** The format of `file`, by extension (`.csv`; `.jsonl`, `.ndjson`), else by its first non-blank character. */
function formatByExtension(file: string): BackfillFileFormat | undefined {
  const extension = extname(file).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl';
  return undefined;
}

/**
 * Streams the records of a backfill file as `ActivityService.backfill` entries, one line at a
 * time (the file is never loaded whole):
 * - CSV: a header row naming `user` and `when` columns, and optionally `tenant` (any order,
 *   other columns ignored), then one record a line, with as many fields as the header; fields
 *   may be double-quoted (RFC 4180, without line breaks); a blank `tenant` field is no tenant;
 * - JSON lines: one `{"user": …, "when": …, "tenant"?: …}` object a line, `user` a string or a
 *   number, `tenant` a string, or `null` or absent for none.
 *
 * `when` is read like a CLI DATE (an ISO 8601 time with an offset is the safe choice);
 * without an offset it is wall-clock time in `timeZone`. Blank lines are skipped.
 *
 * @throws MalformedRecord (from the iteration) for a record that cannot be read; `state.line`
 *   is then its line.
 * @internal
 */
export async function* readBackfillRecords(
  file: string,
  timeZone: string,
  state: BackfillReadState,
): AsyncGenerator<BackfillEntry> {
  const stream = createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let format = formatByExtension(file);
  let columns: CsvColumns | undefined;
  try {
    for await (const raw of lines) {
      state.line += 1;
      state.bytesRead = stream.bytesRead;
      const text = state.line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (text.trim() === '') continue;
      format ??= text.trimStart().startsWith('{') ? 'jsonl' : 'csv';
      if (format === 'jsonl') {
        yield jsonRecord(text, timeZone);
      } else if (columns === undefined) {
        columns = csvHeader(text);
      } else {
        yield csvRecord(text, columns, timeZone);
      }
    }
  } finally {
    lines.close();
    stream.destroy();
  }
}

function jsonRecord(text: string, timeZone: string): BackfillEntry {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MalformedRecord(`not valid JSON (${(error as Error).message}).`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MalformedRecord('expected a JSON object {"user": …, "when": …}.');
  }
  const { user, when, tenant } = value as { user?: unknown; when?: unknown; tenant?: unknown };
  if (typeof user !== 'string' && typeof user !== 'number') {
    throw new MalformedRecord('"user" must be a string or a number.');
  }
  if (typeof when !== 'string') throw new MalformedRecord('"when" must be a date string.');
  if (tenant !== undefined && tenant !== null && typeof tenant !== 'string') {
    throw new MalformedRecord('"tenant" must be a string, or null for no tenant.');
  }
  return { user, when: readWhen(when, timeZone), tenant: tenant ?? null };
}

/** Where a CSV file's columns are, and how many fields every record must have. */
interface CsvColumns {
  user: number;
  when: number;
  /** -1: no tenant column. */
  tenant: number;
  names: string[];
}

function csvHeader(text: string): CsvColumns {
  const names = splitCsvLine(text).map((name) => name.trim().toLowerCase());
  const user = names.indexOf('user');
  const when = names.indexOf('when');
  if (user < 0 || when < 0) {
    throw new MalformedRecord(`expected a CSV header naming "user" and "when" columns, found ${JSON.stringify(text)}.`);
  }
  return { user, when, tenant: names.indexOf('tenant'), names };
}

function csvRecord(text: string, columns: CsvColumns, timeZone: string): BackfillEntry {
  const fields = splitCsvLine(text);
  // A field too many or too few means the record is not what the header says (a stray
  // comma, an unquoted comma in a field): refuse it rather than guess which field is which.
  if (fields.length !== columns.names.length) {
    throw new MalformedRecord(
      `${fields.length} fields where the header has ${columns.names.length} (${columns.names.join(',')}); ` +
        'quote a field that contains a comma.',
    );
  }
  const user = fields[columns.user]?.trim();
  const when = fields[columns.when];
  if (!user) throw new MalformedRecord('the "user" field is missing or blank.');
  if (when === undefined || when.trim() === '') throw new MalformedRecord('the "when" field is missing or blank.');
  const tenant = columns.tenant < 0 ? '' : fields[columns.tenant].trim();
  return { user, when: readWhen(when, timeZone), tenant: tenant === '' ? null : tenant };
}

function readWhen(text: string, timeZone: string): Date {
  const { date, problem } = readDate(text, timeZone);
  // `cannot read "when" "x" as a date…`, or `"when" "x" has the offset +24:00…`.
  if (problem !== undefined) throw new MalformedRecord(problem.startsWith('cannot read ') ? problem.replace('cannot read ', 'cannot read "when" ') : `"when" ${problem}`);
  return date;
}

/** The fields of one CSV line (RFC 4180 quoting, `""` for a quote inside quotes). */
function splitCsvLine(text: string): string[] {
  const fields: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (char === ',') {
      fields.push(field);
      field = '';
    } else {
      field += char;
    }
    i += 1;
  }
  if (quoted) throw new MalformedRecord('a quoted field is not closed (fields cannot span lines).');
  fields.push(field);
  return fields;
}
