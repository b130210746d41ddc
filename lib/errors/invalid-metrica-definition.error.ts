import { SouvenirsError } from './souvenirs.error.js';

/**
 * A metrica (or axis) definition is unusable: a bad name, axis, scale, multiplier
 * or expiration, or a second, different definition under a name already taken.
 * Thrown when the metrica is defined, so a bad one never counts anything.
 *
 * @publicApi
 */
export class InvalidMetricaDefinitionError extends SouvenirsError {
  constructor(
    /** The metrica's name, when known (an axis is checked before it joins one). */
    readonly metrica: string | undefined,
    /** What is wrong and what is allowed. */
    readonly problem: string,
  ) {
    super(`${metrica === undefined ? 'Invalid axis definition' : `Invalid definition of metrica ${JSON.stringify(metrica)}`}: ${problem}`);
  }
}
