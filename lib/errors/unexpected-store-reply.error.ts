import { describeValue } from './describe-value.js';
import { SouvenirsError } from './souvenirs.error.js';

/**
 * Redis answered something a souvenirs key can never hold (a counter that is not
 * an integer, a set member that is not a string, …). It usually means another
 * program writes under the same key prefix.
 *
 * @publicApi
 */
export class UnexpectedStoreReplyError extends SouvenirsError {
  constructor(
    /** The command and key that got the reply, e.g. `HMGET souvenirs:m:{x}:2024`. */
    readonly command: string,
    /** What the reply should have been. */
    readonly expected: string,
    received: unknown,
  ) {
    super(
      `Redis replied ${describeValue(received)} to ${command}, expected ${expected}; ` +
        'make sure no other program writes under the souvenirs key prefix (option `keyPrefix`).',
    );
  }
}
