import { describeValue } from './describe-value.js';
import { SouvenirsError } from './souvenirs.error.js';

/**
 * A `UserBitset` was given a user number it cannot hold: numbers are the
 * index's own dense user numbers, integers in [0, 2³²) (a store making a
 * bitset from other numbers must map them first).
 *
 * @publicApi
 */
export class InvalidUserNumberError extends SouvenirsError {
  constructor(
    /** The number given. */
    readonly number: unknown,
  ) {
    super(`A user number is an integer in [0, 2^32), received ${describeValue(number)}.`);
  }
}
