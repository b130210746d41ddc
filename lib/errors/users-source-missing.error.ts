import { SouvenirsError } from './souvenirs.error.js';

/**
 * Registered users were asked for, but the module has no `users` option to count them from.
 *
 * @publicApi
 */
export class UsersSourceMissingError extends SouvenirsError {
  constructor() {
    super(
      'Registered users are unknown: give SouvenirsModule a `users` option ({ entity, joinedAt, isActive? } or a UsersSource class).',
    );
  }
}
