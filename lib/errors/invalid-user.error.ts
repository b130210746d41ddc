import { describeValue } from './describe-value.js';
import { SouvenirsError } from './souvenirs.error.js';

/**
 * A user reference activity cannot be recorded under: one that carries no usable id
 * (expected a non-empty string, a finite integer, or an object with such an `id`), or
 * an id longer than the `user_id` column holds (191 characters; every database is
 * refused alike, so none silently truncates two ids into one). Either way the fix is
 * another id from the caller; `reason` tells which rule it broke.
 *
 * @publicApi
 */
export class InvalidUserError extends SouvenirsError {
  /** `'no-id'`, or `'too-long'` for an id past `maxLength` characters. */
  readonly reason: 'no-id' | 'too-long';
  /** The id, when it was too long. */
  readonly userId: string | undefined;
  /** The most characters an id may have, when it was too long. */
  readonly maxLength: number | undefined;

  /** A reference with no usable id. */
  constructor(received: unknown);
  /** An id longer than `maxLength` characters (code points). */
  constructor(userId: string, maxLength: number);
  constructor(received: unknown, maxLength?: number) {
    super(
      maxLength === undefined
        ? 'Cannot tell which user this is: expected a non-empty string, an integer, or an object with an `id`, ' +
            `received ${describeValue(received)}.`
        : `User id is ${[...(received as string)].length} characters long, but activity keeps at most ${maxLength}: ` +
            'use a shorter id (a primary key, not a name or a token).',
    );
    this.reason = maxLength === undefined ? 'no-id' : 'too-long';
    this.userId = maxLength === undefined ? undefined : (received as string);
    this.maxLength = maxLength;
  }
}
