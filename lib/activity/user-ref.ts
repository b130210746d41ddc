import { InvalidUserError } from '../errors/invalid-user.error.js';
import { hasLoneSurrogate } from '../shared/well-formed-text.js';

/**
 * Who was active: a user id (a string, or a number kept in decimal), or any object
 * with such an `id`, such as a TypeORM user entity or `req.user`.
 *
 * @publicApi
 */
export type UserRef = string | number | { id: string | number };

/**
 * Longest user id the `souvenirs.user_id` column holds (`varchar(191)`: 191 × 4 bytes
 * of utf8mb4 fit MySQL's 767-byte index key limit).
 *
 * @internal
 */
export const MAX_USER_ID_LENGTH = 191;

/**
 * The stored form of a user reference: strings as they are, finite numbers in
 * decimal via `String()` (so `42` and `'42'` are the same user), objects by their `id`.
 *
 * @internal
 * @throws InvalidUserError for an empty or blank string, `NaN`, ±Infinity, `null`,
 *   an object without a string or number `id`, or any other value.
 * @throws InvalidUserError (`reason: 'too-long'`) for an id longer than {@link MAX_USER_ID_LENGTH} characters.
 * @throws InvalidUserError (`reason: 'unstorable'`) for an id holding a NUL or a lone surrogate.
 */
export function toUserId(user: unknown): string {
  const id = typeof user === 'object' && user !== null && !Array.isArray(user) ? (user as { id?: unknown }).id : user;
  let userId: string;
  if (typeof id === 'string') {
    userId = id;
  } else if (typeof id === 'number' && Number.isFinite(id)) {
    userId = String(id);
  } else {
    throw new InvalidUserError(user);
  }
  if (userId.trim() === '') throw new InvalidUserError(user);
  // One id, one user on every database and store: what one of them would change is refused.
  if (userId.includes('\u0000')) throw new InvalidUserError(userId, 'nul');
  if (hasLoneSurrogate(userId)) throw new InvalidUserError(userId, 'lone-surrogate');
  // Databases count characters (code points), not UTF-16 units.
  if (userId.length > MAX_USER_ID_LENGTH && [...userId].length > MAX_USER_ID_LENGTH) {
    throw new InvalidUserError(userId, MAX_USER_ID_LENGTH);
  }
  return userId;
}
