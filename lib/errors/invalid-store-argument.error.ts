import { describeValue } from './describe-value.js';
import { SouvenirsError } from './souvenirs.error.js';

/**
 * A `SouvenirsStore` method was called with an argument it cannot store (a counter
 * increment that is not an integer, a negative `maxChoices`, …). Thrown before
 * anything is written, so a bad batch leaves the store as it was.
 *
 * @publicApi
 */
export class InvalidStoreArgumentError extends SouvenirsError {
  constructor(
    /** The store method, e.g. `incrementCounters`. */
    readonly method: string,
    /** The argument's path, e.g. `increments["k"].fields["f"]`. */
    readonly argument: string,
    /** What would have been accepted. */
    readonly expected: string,
    received: unknown,
  ) {
    super(
      `SouvenirsStore.${method}: \`${argument}\` must be ${expected}, received ${describeValue(received)}; ` +
        'fix the caller, nothing was written.',
    );
  }
}
