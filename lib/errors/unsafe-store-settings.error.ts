import { SouvenirsError } from './souvenirs.error.js';

/**
 * The application was asked to refuse to start (`activity.index: 'require-safe-policy'`)
 * when the store's settings may silently delete part of the active-users index, and
 * they do (Redis' `maxmemory-policy` is `allkeys-*`): counts could be wrong.
 *
 * @publicApi
 */
export class UnsafeStoreSettingsError extends SouvenirsError {
  constructor(
    /** What in the store's settings is unsafe. */
    readonly risk: string,
  ) {
    super(
      `${risk}. With activity.index 'require-safe-policy' the application does not start: set maxmemory-policy to ` +
        "noeviction or a volatile-* policy (docs/operations.md), or leave activity.index at 'auto' to count from SQL instead of the index.",
    );
  }
}
