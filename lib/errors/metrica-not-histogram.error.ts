import { SouvenirsError } from './souvenirs.error.js';

/**
 * `percentile()`, `buckets()` or another distribution query was asked of a metrica
 * that keeps no histogram.
 *
 * @publicApi
 */
export class MetricaNotHistogramError extends SouvenirsError {
  constructor(
    readonly metrica: string,
    /** The query asked for, e.g. `percentile()`. */
    readonly query: string,
  ) {
    super(
      `Metrica ${JSON.stringify(metrica)} keeps no histogram, so it cannot answer ${query}: define it with ` +
        '`histogram: { buckets: [...] }` (under a new name: a metrica\'s definition cannot change).',
    );
  }
}
