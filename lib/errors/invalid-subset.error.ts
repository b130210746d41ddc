import { describeValue } from './describe-value.js';
import { SouvenirsError } from './souvenirs.error.js';

/** Which rule an `among` broke. */
type InvalidSubsetReason = 'not-a-subset' | 'bad-user' | 'too-large' | 'no-users-entity' | 'bad-where' | 'no-single-key';

const ADVICE: Record<InvalidSubsetReason, string> = {
  'not-a-subset': 'give an iterable of user refs (an array, a Set) or `{ where }` on the `users` entity.',
  'bad-user': 'give user refs as `souvenez` takes them (a non-empty string, an integer, or an object with an `id`).',
  'too-large': 'pass fewer users per call (split the subset and add the counts: subsets that share no user add up), or count site-wide.',
  'no-users-entity': 'give SouvenirsModule `users: { entity, joinedAt }`, or pass the users themselves as an iterable of refs.',
  'bad-where': 'name properties of the `users` entity in `where` (TypeORM FindOptionsWhere).',
  'no-single-key': 'give the users entity a single primary column holding the id the app passes to `souvenez`, or pass the users as an iterable of refs.',
};

/**
 * An `among` (the subset of users a count or report is restricted to) that cannot be
 * used: not an iterable of user refs nor `{ where }`, a ref without a usable id, more
 * users than `maximum` (`MAX_SUBSET_USERS`), or a `{ where }` the module cannot run
 * (no `users` entity option, a property the entity lacks, no single primary column).
 * Refused before anything is counted; `reason` tells which rule it broke.
 *
 * @publicApi
 */
export class InvalidSubsetError extends SouvenirsError {
  constructor(
    readonly reason: InvalidSubsetReason,
    /** What was wrong, e.g. `among[3] is null` or the TypeORM message. */
    readonly detail: string,
    /** The most users a subset may hold, when `reason` is `'too-large'`. */
    readonly maximum?: number,
    cause?: unknown,
  ) {
    super(`Invalid \`among\`: ${detail}; ${ADVICE[reason]}`, cause === undefined ? undefined : { cause });
  }

  /** `among[at]` is not a user ref. */
  static badUser(at: number, received: unknown, cause: unknown): InvalidSubsetError {
    return new InvalidSubsetError('bad-user', `among[${at}] is ${describeValue(received)} (${(cause as Error).message})`, undefined, cause);
  }
}
