import { describeValue } from './describe-value.js';
import { SouvenirsError } from './souvenirs.error.js';

/**
 * A kick's `value` is not a finite number (NaN, Infinity, a string…), or is too
 * large to be counted exactly once multiplied by the metrica's multiplier.
 *
 * @publicApi
 */
export class InvalidMetricaValueError extends SouvenirsError {
  constructor(
    readonly metrica: string,
    received: unknown,
    /** Why it was refused; defaults to the finite-number rule. */
    reason = 'a kick value must be a finite number',
  ) {
    super(`Invalid value ${describeValue(received)} kicked on metrica ${JSON.stringify(metrica)}: ${reason}.`);
  }
}
