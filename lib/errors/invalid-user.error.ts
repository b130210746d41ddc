import { describeValue } from './describe-value.js';
import { SouvenirsError } from './souvenirs.error.js';

/**
 * A user reference that carries no usable id: expected a non-empty string, a finite
 * integer, or an object with such an `id`.
 *
 * @publicApi
 */
export class InvalidUserError extends SouvenirsError {
  constructor(received: unknown) {
    super(
      `Cannot tell which user this is: expected a non-empty string, an integer, or an object with an \`id\`, received ${describeValue(received)}.`,
    );
  }
}
