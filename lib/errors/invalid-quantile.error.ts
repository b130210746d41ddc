import { describeValue } from './describe-value.js';
import { SouvenirsError } from './souvenirs.error.js';

/**
 * A percentile query asked for a quantile outside the open interval (0, 1): `0.95`
 * is p95; 0 and 1 (the minimum and maximum) are not what a histogram can estimate.
 *
 * @publicApi
 */
export class InvalidQuantileError extends SouvenirsError {
  constructor(
    readonly metrica: string,
    /** The quantile given. */
    readonly quantile: unknown,
  ) {
    super(
      `Metrica ${JSON.stringify(metrica)}: a quantile is a number strictly between 0 and 1 (0.95 for p95), ` +
        `received ${describeValue(quantile)}.`,
    );
  }
}
