import { SouvenirsError } from './souvenirs.error.js';

/**
 * A range that would make one call produce or read more than its documented maximum:
 * more periods (report rows, series points) than a report or a time series may have,
 * or more local days than an active-user analytics report reads at once
 * (`MAX_ANALYTICS_DAYS`, every day's users being held in memory together). Refused
 * before any work, and nothing is written. Whichever the call, the fix is the same:
 * narrow the range and split the rest into several calls.
 *
 * @publicApi
 */
export class RangeTooLargeError extends SouvenirsError {
  constructor(
    /** The call refused, e.g. `calendarMonthlyUsage`, `<metrica> timeserie` or `retention`. */
    readonly call: string,
    /** What it counts, e.g. `months`, `periods`, `day buckets`, `local days`. */
    readonly unit: string,
    /** The most it may produce or read. */
    readonly maximum: number,
    /**
     * How many `unit` the range covers, when counted (the analytics reports count the
     * local days they would read); `undefined` when the call stopped as soon as it knew
     * the maximum would be passed.
     */
    readonly actual?: number,
  ) {
    super(
      actual === undefined
        ? `\`${call}\` would produce more than ${maximum} ${unit} for this range, its documented maximum: ` +
            'narrow the range (a later start or an earlier end), or ask for longer periods, and split the rest into several calls.'
        : `${call}: the range covers ${actual} ${unit}, more than the ${maximum} a report reads at once; ` +
            'ask for a shorter range (a later start or an earlier end), in several calls if needed.',
    );
  }
}
