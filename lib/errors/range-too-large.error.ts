import { SouvenirsError } from './souvenirs.error.js';

/**
 * A range that would produce more periods (report rows, series points) than one call may:
 * refused before any work, and nothing is written.
 *
 * @publicApi
 */
export class RangeTooLargeError extends SouvenirsError {
  constructor(
    /** The call refused, e.g. `calendarMonthlyUsage` or `timeserie`. */
    readonly call: string,
    /** What it counts, e.g. `months`, `periods`, `day buckets`. */
    readonly unit: string,
    /** The most it may produce. */
    readonly maximum: number,
  ) {
    super(
      `\`${call}\` would produce more than ${maximum} ${unit} for this range, its documented maximum: ` +
        'narrow the range (a later start or an earlier end), or ask for longer periods, and split the rest into several calls.',
    );
  }
}
