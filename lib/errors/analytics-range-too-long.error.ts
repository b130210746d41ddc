import { SouvenirsError } from './souvenirs.error.js';

/**
 * An active-user analytics report asked for more local days than it reads in one
 * go (`MAX_ANALYTICS_DAYS`): every day's users are held in memory at once.
 *
 * @publicApi
 */
export class AnalyticsRangeTooLongError extends SouvenirsError {
  constructor(
    /** The report, e.g. `retention`. */
    readonly report: string,
    /** Local days the report would read (its periods, plus what it looks back at). */
    readonly days: number,
    /** The most it reads. */
    readonly maxDays: number,
  ) {
    super(
      `${report}: the range covers ${days} local days, more than the ${maxDays} a report reads at once; ` +
        'ask for a shorter range (a later start or an earlier end), in several calls if needed.',
    );
  }
}
