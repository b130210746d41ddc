import { IANAZone } from 'luxon';
import { InvalidOptionError } from './errors/invalid-option.error.js';
import type { SouvenirsModuleOptions } from './souvenirs.options.js';
import { isRedisUrl } from './store/redis/redis-url.js';

const KNOWN_OPTIONS = [
  'redis',
  'store',
  'keyPrefix',
  'rateLimitSeconds',
  'timeZone',
  'weekStart',
  'now',
  'users',
  'metricas',
  'kickBuffer',
  'activity',
  'track',
  'usageForPeriods',
  'dashboard',
  'prometheus',
] as const satisfies readonly (keyof SouvenirsModuleOptions)[];

type Check = (value: unknown) => boolean;
const isFunction: Check = (v) => typeof v === 'function';
const isBoolean: Check = (v) => typeof v === 'boolean';
const isNonEmptyString: Check = (v) => typeof v === 'string' && v.length > 0;
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isNonNegativeNumber: Check = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isPositiveInteger: Check = (v) => Number.isSafeInteger(v) && (v as number) > 0;

/** Throws `InvalidOptionError` unless the present value passes the check. */
function expect(path: string, value: unknown, check: Check, expected: string): void {
  if (value !== undefined && !check(value)) throw new InvalidOptionError(path, expected, value);
}

/** Rejects keys not in `known`, so a typo fails the boot instead of being ignored. */
function expectKnownKeys(path: string, value: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const where = path ? `${path}.${key}` : key;
      throw new InvalidOptionError(where, `one of the known options (${known.join(', ')})`, value[key]);
    }
  }
}

function expectSection(path: string, value: unknown, known: readonly string[]): value is Record<string, unknown> {
  if (value === undefined) return false;
  if (!isPlainObject(value)) throw new InvalidOptionError(path, 'an object', value);
  expectKnownKeys(path, value, known);
  return true;
}

function validateRedis(redis: unknown): void {
  expect(
    'redis',
    redis,
    (v) => isRedisUrl(v) || isPlainObject(v),
    "an ioredis Redis or Cluster instance, RedisOptions, or a 'redis://', 'rediss://', 'valkey://' or 'valkeys://' URL",
  );
}

/** The methods a `store` instance must have: those of the `SouvenirsStore` interface. */
const STORE_METHODS = [
  'claimRateLimit',
  'releaseRateLimit',
  'incrementCounters',
  'readCounters',
  'addChoices',
  'getChoices',
  'readCountersOfMembers',
] as const;

function validateStore(store: unknown, redis: unknown): void {
  if (store === undefined) return;
  if (redis !== undefined) {
    throw new InvalidOptionError('store', "no `redis` beside it: give one or the other (a store brings its own connection)", store);
  }
  if (isFunction(store)) return;
  const missing = isPlainObjectOrInstance(store) ? STORE_METHODS.filter((method) => !isFunction(store[method])) : STORE_METHODS;
  if (missing.length > 0) {
    throw new InvalidOptionError(
      'store',
      `a SouvenirsStore instance or class (an instance lacks ${missing.join(', ')})`,
      store,
    );
  }
}

function isPlainObjectOrInstance(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function validateUsers(users: unknown): void {
  if (users === undefined || isFunction(users)) return;
  if (isPlainObject(users) && isFunction(users.registeredUsersAsOf)) return;
  const expected = '{ entity, joinedAt, isActive?, tenant? } (an entity class and its property names) or a UsersSource class';
  if (!isPlainObject(users) || !('entity' in users)) throw new InvalidOptionError('users', expected, users);
  expectKnownKeys('users', users, ['entity', 'joinedAt', 'isActive', 'tenant']);
  expect('users.entity', users.entity, isFunction, 'a TypeORM entity class');
  if (!isNonEmptyString(users.joinedAt)) {
    throw new InvalidOptionError('users.joinedAt', "the name of the entity's registration date property", users.joinedAt);
  }
  expect('users.isActive', users.isActive, isNonEmptyString, "the name of the entity's boolean activation property");
  expect('users.tenant', users.tenant, isNonEmptyString, "the name of the entity's tenant property");
}

function validateTrack(track: unknown): void {
  if (track === false) return;
  if (track !== undefined && !isPlainObject(track)) throw new InvalidOptionError('track', 'an object or false', track);
  if (!expectSection('track', track, ['mode', 'userId', 'tenant', 'responseTime', 'interceptor'])) return;
  expect('track.mode', track.mode, (v) => v === 'all' || v === 'decorated', "'all' or 'decorated'");
  expect('track.userId', track.userId, isFunction, 'a function (context) => user id');
  expect('track.tenant', track.tenant, isFunction, 'a function (context) => tenant id, null or undefined');
  expect('track.responseTime', track.responseTime, isBoolean, 'a boolean');
  expect('track.interceptor', track.interceptor, isFunction, 'a subclass of SouvenirsInterceptor');
}

function validateKickBuffer(kickBuffer: unknown): void {
  if (!expectSection('kickBuffer', kickBuffer, ['maxCells', 'flushIntervalMs', 'trackingFlushIntervalMs', 'retryForMs'])) return;
  expect('kickBuffer.maxCells', kickBuffer.maxCells, isPositiveInteger, 'a positive integer');
  expect('kickBuffer.flushIntervalMs', kickBuffer.flushIntervalMs, isNonNegativeNumber, 'a number of milliseconds >= 0');
  expect(
    'kickBuffer.trackingFlushIntervalMs',
    kickBuffer.trackingFlushIntervalMs,
    isNonNegativeNumber,
    'a number of milliseconds >= 0',
  );
  expect('kickBuffer.retryForMs', kickBuffer.retryForMs, isNonNegativeNumber, 'a number of milliseconds >= 0');
}

function validateActivity(activity: unknown): void {
  if (!expectSection('activity', activity, ['index'])) return;
  expect('activity.index', activity.index, (v) => v === 'auto' || v === 'require-safe-policy', "'auto' or 'require-safe-policy'");
}

function validateDashboard(dashboard: unknown): void {
  if (!expectSection('dashboard', dashboard, ['path', 'guard', 'public'])) return;
  expect('dashboard.path', dashboard.path, (v) => typeof v === 'string', 'a URL path string');
  expect('dashboard.guard', dashboard.guard, isFunction, 'a guard class (Type<CanActivate>)');
  expect('dashboard.public', dashboard.public, isBoolean, 'a boolean');
}

function validatePrometheus(prometheus: unknown): void {
  if (!expectSection('prometheus', prometheus, ['path', 'guard', 'public', 'metricas', 'maxSeries'])) return;
  expect('prometheus.path', prometheus.path, (v) => typeof v === 'string', 'a URL path string');
  expect('prometheus.guard', prometheus.guard, isFunction, 'a guard class (Type<CanActivate>)');
  expect('prometheus.public', prometheus.public, isBoolean, 'a boolean');
  expect('prometheus.metricas', prometheus.metricas, (v) => Array.isArray(v) && v.every((name) => typeof name === 'string'), 'an array of metrica names');
  expect('prometheus.maxSeries', prometheus.maxSeries, isPositiveInteger, 'an integer >= 1');
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The sections whose own keys are merged over their defaults, so an `undefined` in them must not hide one. */
const SECTIONS = ['kickBuffer', 'activity', 'track', 'dashboard', 'prometheus'] as const;

/**
 * Validates the module options. Runs once, at boot (the module's `SOUVENIRS_OPTIONS`
 * provider), so a wrong option stops the application with an error naming it instead
 * of failing later on a request. Returns a copy without `undefined` values, at the top
 * and in each section, so `resolveSouvenirsOptions` merges them as `{ ...defaults, ...given }`
 * without an `undefined` hiding a default.
 *
 * @throws InvalidOptionError naming the first wrong option and what was expected.
 * @internal
 */
export function validateSouvenirsOptions(options: SouvenirsModuleOptions | undefined): SouvenirsModuleOptions {
  const given = (options ?? {}) as Record<string, unknown>;
  if (!isPlainObject(given)) throw new InvalidOptionError('options', 'an object', given);
  expectKnownKeys('', given, KNOWN_OPTIONS);

  validateRedis(given.redis);
  validateStore(given.store, given.redis);
  expect('keyPrefix', given.keyPrefix, isNonEmptyString, 'a non-empty string');
  expect('rateLimitSeconds', given.rateLimitSeconds, isNonNegativeNumber, 'a number of seconds >= 0 (0 turns it off)');
  expect(
    'timeZone',
    given.timeZone,
    (v) => typeof v === 'string' && IANAZone.isValidZone(v),
    "an IANA time zone name such as 'UTC' or 'Europe/Paris'",
  );
  expect('weekStart', given.weekStart, (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 7, 'an ISO weekday, an integer from 1 (Monday) to 7 (Sunday)');
  expect('now', given.now, isFunction, 'a function returning the current Date');
  validateUsers(given.users);
  expect('metricas', given.metricas, Array.isArray, 'an array of metrica definitions');
  expect('usageForPeriods', given.usageForPeriods, isFunction, 'a function (periods, next) => Promise<UsageRow[]>');
  validateDashboard(given.dashboard);
  validatePrometheus(given.prometheus);
  validateKickBuffer(given.kickBuffer);
  validateActivity(given.activity);
  validateTrack(given.track);

  const validated = stripUndefined(given);
  for (const section of SECTIONS) {
    const value = validated[section];
    if (isPlainObject(value)) validated[section] = stripUndefined(value);
  }
  return validated as SouvenirsModuleOptions;
}
