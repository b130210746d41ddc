import { UnscopedUsersSourceError } from '../errors/unscoped-users-source.error.js';
import type { RegisteredUsers, UsersScope, UsersSource } from './users-source.interface.js';

/**
 * Registered users at each instant within `scope`, from `source`: the one place a
 * report asks a users source for a scope. A source that does not declare
 * `supportsScope` is never handed one (so one written before scopes existed answers
 * site-wide reports as before) and is refused when a scope is asked: a subset's report
 * must not show every registered user.
 *
 * @throws UnscopedUsersSourceError when `scope` holds a subset or a tenant and the source cannot scope.
 * @internal
 */
export function registeredUsersWithin(source: UsersSource, instants: readonly Date[], scope: UsersScope | undefined): Promise<RegisteredUsers[]> {
  const asked = scope ? (['among', 'tenant'] as const).filter((part) => scope[part] !== undefined) : [];
  if (asked.length === 0) return source.registeredUsersAsOf(instants);
  if (source.supportsScope !== true) throw new UnscopedUsersSourceError(asked);
  return source.registeredUsersAsOf(instants, scope);
}
