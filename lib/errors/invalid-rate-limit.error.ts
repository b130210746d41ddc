import { describeValue } from './describe-value.js';
import { SouvenirsError } from './souvenirs.error.js';

/**
 * A rate limit that is not `true`, `false`, or a finite number of seconds ≥ 0.
 *
 * @publicApi
 */
export class InvalidRateLimitError extends SouvenirsError {
  constructor(received: unknown) {
    super(`Rate limit must be true, false, or a number of seconds >= 0, received ${describeValue(received)}.`);
  }
}
