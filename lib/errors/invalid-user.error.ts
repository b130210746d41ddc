import { describeValue } from './describe-value.js';
import { SouvenirsError } from './souvenirs.error.js';

/**
 * A user reference activity cannot be recorded under: one that carries no usable id
 * (expected a non-empty string, a finite integer, or an object with such an `id`), an
 * id longer than the `user_id` column holds (191 characters; every database is
 * refused alike, so none silently truncates two ids into one), or an id no database
 * and store can keep faithfully: a NUL character (PostgreSQL refuses it in text) or a
 * lone surrogate (`'\uD800'`: UTF-8 stores such as PostgreSQL and Redis turn it into
 * U+FFFD, merging `'\uD800'`, `'\uDC00'` and `'\uFFFD'` into one user, which SQLite keeps
 * as three). Refused before anything is written. Either way the fix is another id from
 * the caller; `reason` tells which rule it broke.
 *
 * @publicApi
 */
export class InvalidUserError extends SouvenirsError {
  /** `'no-id'`, `'too-long'` for an id past `maxLength` characters, `'unstorable'` for one with a NUL or a lone surrogate. */
  readonly reason: 'no-id' | 'too-long' | 'unstorable';
  /** The id, when it was too long or unstorable. */
  readonly userId: string | undefined;
  /** The most characters an id may have, when it was too long. */
  readonly maxLength: number | undefined;

  /** A reference with no usable id. */
  constructor(received: unknown);
  /** An id longer than `maxLength` characters (code points). */
  constructor(userId: string, maxLength: number);
  /** An id holding a character no database and store keep faithfully. */
  constructor(userId: string, unstorable: 'nul' | 'lone-surrogate');
  constructor(received: unknown, limit?: number | 'nul' | 'lone-surrogate') {
    super(
      limit === undefined
        ? 'Cannot tell which user this is: expected a non-empty string, an integer, or an object with an `id`, ' +
            `received ${describeValue(received)}.`
        : typeof limit === 'number'
          ? `User id is ${[...(received as string)].length} characters long, but activity keeps at most ${limit}: ` +
            'use a shorter id (a primary key, not a name or a token).'
          : `User id ${describeValue(received)} holds ${limit === 'nul' ? 'a NUL character, which PostgreSQL cannot store in text' : 'a lone surrogate, which UTF-8 (PostgreSQL, MySQL, Redis) cannot store: it would become U+FFFD, one user with others'}; ` +
            'use an id of whole, printable characters (a primary key).',
    );
    this.reason = limit === undefined ? 'no-id' : typeof limit === 'number' ? 'too-long' : 'unstorable';
    this.userId = limit === undefined ? undefined : (received as string);
    this.maxLength = typeof limit === 'number' ? limit : undefined;
  }
}
