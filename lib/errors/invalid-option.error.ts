import { describeValue } from './describe-value.js';
import { SouvenirsError } from './souvenirs.error.js';

/**
 * A module option (or a per-call option) has the wrong shape or value.
 * Thrown at boot by `SouvenirsModule`, so a misconfigured app never starts half-working.
 *
 * @publicApi
 */
export class InvalidOptionError extends SouvenirsError {
  constructor(
    /** The option's path, e.g. `rateLimitSeconds` or `track.mode`. */
    readonly option: string,
    /** What would have been accepted. */
    readonly expected: string,
    received: unknown,
  ) {
    super(`Invalid souvenirs option \`${option}\`: expected ${expected}, received ${describeValue(received)}.`);
  }
}
