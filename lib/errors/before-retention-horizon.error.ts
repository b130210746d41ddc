import { SouvenirsError } from './souvenirs.error.js';

/**
 * A count, report or analytics call whose range reaches before the retention
 * horizon: activity older than it was pruned (the `retention` option, or `prune`),
 * so the answer would be zeros that look like no activity. Refused before any work.
 * Ask from `horizon` on (or leave the start open: it is then the horizon).
 *
 * @publicApi
 */
export class BeforeRetentionHorizonError extends SouvenirsError {
  constructor(
    /** The first instant whose activity is kept. */
    readonly horizon: Date,
    /** The start the call asked for (or needed: analytics look back before their first period). */
    readonly start: Date,
  ) {
    super(
      `Activity before ${horizon.toISOString()} was pruned (retention), but this call reaches back to ${start.toISOString()}: ` +
        'its answer would count nobody there. Start at the horizon or later.',
    );
  }
}
