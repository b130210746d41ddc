import { SouvenirsError } from './souvenirs.error.js';

/**
 * A timespan (or a time series' scale) a metrica cannot answer: a finer field
 * without every coarser one, a field out of range (month 13, day 32, hour 24), a
 * scale the metrica does not keep, or too fine a series.
 *
 * @publicApi
 */
export class InvalidTimespanError extends SouvenirsError {
  constructor(
    readonly metrica: string,
    /** The field at fault: `year`, `month`, `day`, `hour`, `minute` or `scale`. */
    readonly field: string,
    /** What is wrong and what is allowed. */
    readonly problem: string,
  ) {
    super(`Invalid timespan for metrica ${JSON.stringify(metrica)}, field \`${field}\`: ${problem}`);
  }
}
