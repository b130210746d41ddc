import { SouvenirsError } from './souvenirs.error.js';

/**
 * A report was asked for registered users within a subset (`among`) or a tenant, but the
 * module's `UsersSource` does not say it honours `registeredUsersAsOf(instants, scope)`'s
 * scope: counting site-wide instead would give numbers that look right and are not.
 *
 * @publicApi
 */
export class UnscopedUsersSourceError extends SouvenirsError {
  constructor(
    /** What the scope held: `among`, `tenant` or both. */
    readonly scope: readonly string[],
  ) {
    super(
      `The users source cannot count registered users within a ${scope.join(' and ')}: ` +
        'implement `registeredUsersAsOf(instants, scope)` honouring `scope` and set `supportsScope = true` on the source, ' +
        'or use the `users: { entity, joinedAt }` option, which scopes itself.',
    );
  }
}
