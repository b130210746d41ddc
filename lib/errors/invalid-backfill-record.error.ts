import { SouvenirsError } from './souvenirs.error.js';

/**
 * A record of a `souvenirs backfill` file that cannot be imported: a CSV row without a user
 * or a readable `when`, a JSON line that does not parse or lacks a field. The import stops
 * there; the batches written before it stay written.
 *
 * @publicApi
 */
export class InvalidBackfillRecordError extends SouvenirsError {
  constructor(
    /** The file being imported, as given on the command line. */
    readonly file: string,
    /** 1-based line number of the record in `file`. */
    readonly line: number,
    /** What is wrong with it. */
    readonly reason: string,
    /** How many records before it were imported (written, or skipped as duplicates). */
    readonly processed: number,
  ) {
    super(
      `${file}, line ${line}: ${reason} ` +
        `The import stopped there: the ${processed} records before its batch were imported; ` +
        'fix the line and re-run with --check-duplicate to skip what is already stored.',
    );
  }
}
