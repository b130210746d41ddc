import { SouvenirsError } from '../errors/souvenirs.error.js';
import { StoreRefusedError } from '../errors/store-refused.error.js';
import { StoreUnavailableError } from '../errors/store-unavailable.error.js';
import type { SouvenirsStore } from './souvenirs-store.interface.js';
import { isTransientStoreError } from './transient-store-error.js';

/** What each store method does, in the words of an error message (every method: a test holds it). @internal */
export const STORE_OPERATIONS: Readonly<Record<string, string>> = {
  claimRateLimit: 'claiming an activity rate limit',
  releaseRateLimit: 'releasing an activity rate limit',
  incrementCounters: 'writing metrica counters',
  readCounters: 'reading metrica counters',
  addChoices: 'storing axis choices',
  getChoices: 'reading axis choices',
  readCountersOfMembers: 'reading metrica counters',
  readHash: 'reading metrica counters',
  addActiveUsers: 'writing the active-users index',
  invalidateActiveDays: 'invalidating days of the active-users index',
  countActiveUsers: 'counting active users in the index',
  readActiveDays: 'reading the active-users index',
  readActiveDayUnions: 'reading the active-users index',
  readActiveDaysAmong: 'reading the active-users index',
  countActiveUsersPerTenant: 'counting active users per tenant in the index',
  addActiveDayLog: 'writing a day log of the active-users index',
  beginActiveDayBuilds: 'starting a rebuild of the active-users index',
  writeActiveDayBuilds: 'writing a rebuild of the active-users index',
  takeStalePendingDays: "reading the active-users index's pending adds",
  addFirstActivity: 'writing first activity',
  beginFirstActivityBuild: 'starting a rebuild of first activity',
  writeFirstActivityBuild: 'writing a rebuild of first activity',
  invalidateFirstActivity: 'invalidating first activity',
  activeDayNamespaces: 'listing the namespaces of the active-users index',
  indexEvictionRisk: "reading the store's eviction settings",
  forgetActiveUser: 'removing a user from the active-users index',
  forgetRateLimits: "removing a user's rate-limit claims",
  acquireLock: 'taking a lock',
  releaseLock: 'releasing a lock',
  raiseMark: 'raising a mark (the prune horizon)',
  readMark: 'reading a mark (the prune horizon)',
} satisfies Partial<Record<keyof SouvenirsStore, string>>;

/**
 * Store methods that answer synchronously without calling the store (`activeDaysIn`: a view
 * of it, whose own calls are typed when the index wraps it): left as they are. @internal
 */
export const SYNCHRONOUS_STORE_METHODS: ReadonlySet<string> = new Set(['activeDaysIn'] satisfies (keyof SouvenirsStore)[]);

/**
 * The `SouvenirsError` a store call that failed with `error` reaches callers as: a
 * `SouvenirsError` as it is (bad arguments, an unexpected reply), a transient failure
 * (see `isTransientStoreError`) as `StoreUnavailableError`, any other as
 * `StoreRefusedError`; the store's own error is the `cause`.
 * @internal
 */
export function typedStoreFailure(error: unknown, operation: string): SouvenirsError {
  if (error instanceof SouvenirsError) return error;
  return isTransientStoreError(error) ? new StoreUnavailableError(operation, error) : new StoreRefusedError(operation, error);
}

const TYPED = Symbol('typed store failures');

/**
 * `store` as the module's services use it: the same object (its parts, its
 * `instanceof`), whose calls reject only with `SouvenirsError`s
 * ({@link typedStoreFailure}), whatever driver or third-party store is behind it.
 * Done here once rather than in every store, so a store author's errors get the same
 * treatment, and the store itself (what `app.get(SouvenirsStore)` returns) is untouched.
 * @internal
 */
export function withTypedFailures(store: SouvenirsStore): SouvenirsStore {
  if ((store as { [TYPED]?: boolean })[TYPED]) return store;
  const wrappers = new Map<PropertyKey, { original: unknown; wrapper: unknown }>();
  return new Proxy(store, {
    get(target, property) {
      if (property === TYPED) return true;
      const value: unknown = Reflect.get(target, property, target);
      const operation = typeof property === 'string' ? STORE_OPERATIONS[property] : undefined;
      if (typeof value !== 'function' || operation === undefined) return value;
      // Asked on each use, as the store's parts are: a method gained or lost at run time shows.
      const cached = wrappers.get(property);
      if (cached?.original === value) return cached.wrapper;
      const method = value as (...args: unknown[]) => unknown;
      const wrapper = (...args: unknown[]): Promise<unknown> => {
        try {
          return Promise.resolve(method.apply(target, args)).catch((error: unknown) => {
            throw typedStoreFailure(error, operation);
          });
        } catch (error) {
          return Promise.reject(typedStoreFailure(error, operation));
        }
      };
      wrappers.set(property, { original: value, wrapper });
      return wrapper;
    },
  });
}
