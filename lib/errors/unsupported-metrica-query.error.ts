import { SouvenirsError } from './souvenirs.error.js';

/** What each kind of metrica keeps, and the definition that makes one keep it. */
const KINDS = {
  averaged: { keeps: 'event counts', define: 'define it with `averaged: true`' },
  histogram: { keeps: 'histogram', define: 'define it with `histogram: { buckets: [...] }`' },
} as const;

/**
 * A query was asked of a metrica that does not keep what it reads: `count()`,
 * `average()` or another count query of a metrica not `averaged`, `percentile()`,
 * `buckets()` or another distribution query of one without a `histogram`. The fix is
 * the same for both: a metrica defined with what the query needs, under a new name
 * (a metrica's definition cannot change).
 *
 * @publicApi
 */
export class UnsupportedMetricaQueryError extends SouvenirsError {
  constructor(
    readonly metrica: string,
    /** The query asked for, e.g. `average()` or `percentile()`. */
    readonly query: string,
    /** What the query needs the metrica to keep: `averaged` (event counts) or `histogram`. */
    readonly requires: 'averaged' | 'histogram',
  ) {
    const { keeps, define } = KINDS[requires];
    super(
      `Metrica ${JSON.stringify(metrica)} keeps no ${keeps}, so it cannot answer ${query}: ` +
        `${define} (under a new name: a metrica's definition cannot change).`,
    );
  }
}
