import { describeValue } from './describe-value.js';
import { SouvenirsError } from './souvenirs.error.js';

/**
 * A value given for an axis (in a kick or a filter) is not one that axis accepts:
 * outside an `Axis`'s choices, a non-scalar for a `StoredChoiceAxis`, a non-array
 * for a `HierarchicalAxis`…
 *
 * @publicApi
 */
export class InvalidAxisValueError extends SouvenirsError {
  constructor(
    readonly metrica: string,
    readonly axis: string,
    received: unknown,
    /** What the axis accepts, in words. */
    readonly allowed: string,
  ) {
    super(`Invalid value ${describeValue(received)} for axis ${JSON.stringify(axis)} of metrica ${JSON.stringify(metrica)}: allowed are ${allowed}.`);
  }
}
