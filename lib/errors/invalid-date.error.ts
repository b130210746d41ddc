import { describeValue } from './describe-value.js';
import { SouvenirsError } from './souvenirs.error.js';

/**
 * A date argument is not a valid `Date` (an `Invalid Date`, a string, a number…).
 *
 * @publicApi
 */
export class InvalidDateError extends SouvenirsError {
  constructor(
    /** The argument's name, e.g. `when` or `range.start`. */
    readonly argument: string,
    received: unknown,
  ) {
    super(`\`${argument}\` must be a valid Date, received ${describeValue(received)}.`);
  }
}
