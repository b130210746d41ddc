import { describeValue } from './describe-value.js';
import { SouvenirsError } from './souvenirs.error.js';

/**
 * A kick brought a new value to a `StoredChoiceAxis` (or a new child to a
 * `HierarchicalAxis` path) that already holds its `maxChoices` (`maxChildren`)
 * values. Nothing of that kick is counted.
 *
 * @publicApi
 */
export class TooManyChoicesError extends SouvenirsError {
  constructor(
    readonly metrica: string,
    readonly axis: string,
    received: unknown,
    /** The bound that was reached. */
    readonly maxChoices: number,
  ) {
    super(
      `Axis ${JSON.stringify(axis)} of metrica ${JSON.stringify(metrica)} already holds its maximum of ${maxChoices} ` +
        `stored values, so the new value ${describeValue(received)} was refused and the kick not counted: ` +
        'reuse a known value, or define a new metrica with a larger `maxChoices`.',
    );
  }
}
