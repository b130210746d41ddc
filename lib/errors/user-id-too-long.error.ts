import { InvalidUserError } from './invalid-user.error.js';

/**
 * A user id longer than the `user_id` column holds (191 characters). Every database
 * is refused alike, so none silently truncates two ids into one.
 *
 * @publicApi
 */
export class UserIdTooLongError extends InvalidUserError {
  constructor(
    readonly userId: string,
    readonly maxLength: number,
  ) {
    super(userId);
    this.message =
      `User id is ${[...userId].length} characters long, but activity keeps at most ${maxLength}: ` +
      `use a shorter id (a primary key, not a name or a token).`;
  }
}
