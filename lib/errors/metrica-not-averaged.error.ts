import { SouvenirsError } from './souvenirs.error.js';

/**
 * `count()`, `average()` or another count query was asked of a metrica that keeps
 * no event counts.
 *
 * @publicApi
 */
export class MetricaNotAveragedError extends SouvenirsError {
  constructor(
    readonly metrica: string,
    /** The query asked for, e.g. `average()`. */
    readonly query: string,
  ) {
    super(
      `Metrica ${JSON.stringify(metrica)} keeps no event counts, so it cannot answer ${query}: ` +
        'define it with `averaged: true` (under a new name: a metrica\'s definition cannot change).',
    );
  }
}
