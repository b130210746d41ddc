import { SouvenirsError } from './souvenirs.error.js';

/**
 * An entry handed to `ActivityService.backfill` that cannot be recorded (no usable
 * user, an invalid `when`, not an object). The batches before the one holding it
 * were written; nothing of its own batch was.
 *
 * @publicApi
 */
export class InvalidBackfillEntryError extends SouvenirsError {
  constructor(
    /** 1-based position of the entry in the backfilled sequence. */
    readonly entryNumber: number,
    /** What is wrong with it. */
    readonly reason: string,
    /** How many entries before it were written (or skipped as duplicates): the import resumes after them. */
    readonly processed: number,
  ) {
    super(
      `Backfill entry #${entryNumber} is invalid: ${reason} ` +
        `The ${processed} entries before its batch were imported; fix it and resume from entry #${processed + 1}.`,
    );
  }
}
