import { IANAZone } from 'luxon';
import { InvalidOptionError } from './errors/invalid-option.error.js';
import { DEFAULT_OPTIONS, DEFAULT_TRACK_OPTIONS, type ResolvedSouvenirsOptions } from './souvenirs-options.defaults.js';
import type { SouvenirsModuleOptions } from './souvenirs-options.interface.js';

const KNOWN_OPTIONS = [
  'redis',
  'keyPrefix',
  'rateLimitSeconds',
  'timeZone',
  'weekStart',
  'now',
  'users',
  'metricas',
  'kickBuffer',
  'track',
  'usageForPeriods',
  'dashboard',
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
    (v) => (typeof v === 'string' && /^rediss?:\/\//.test(v)) || isPlainObject(v),
    "an ioredis Redis or Cluster instance, RedisOptions, or a 'redis://' / 'rediss://' URL",
  );
}

function validateUsers(users: unknown): void {
  if (users === undefined || isFunction(users)) return;
  if (isPlainObject(users) && isFunction(users.registeredUsersAsOf)) return;
  const expected = '{ entity, joinedAt, isActive? } (an entity class and its property names) or a UsersSource class';
  if (!isPlainObject(users) || !('entity' in users)) throw new InvalidOptionError('users', expected, users);
  expectKnownKeys('users', users, ['entity', 'joinedAt', 'isActive']);
  expect('users.entity', users.entity, isFunction, 'a TypeORM entity class');
  if (!isNonEmptyString(users.joinedAt)) {
    throw new InvalidOptionError('users.joinedAt', "the name of the entity's registration date property", users.joinedAt);
  }
  expect('users.isActive', users.isActive, isNonEmptyString, "the name of the entity's boolean activation property");
}

function resolveTrack(track: unknown): ResolvedSouvenirsOptions['track'] {
  if (track === false) return false;
  if (track !== undefined && !isPlainObject(track)) throw new InvalidOptionError('track', 'an object or false', track);
  if (!expectSection('track', track, ['mode', 'userId', 'responseTime'])) return DEFAULT_TRACK_OPTIONS;
  expect('track.mode', track.mode, (v) => v === 'all' || v === 'decorated', "'all' or 'decorated'");
  expect('track.userId', track.userId, isFunction, 'a function (context) => user id');
  expect('track.responseTime', track.responseTime, isBoolean, 'a boolean');
  return { ...DEFAULT_TRACK_OPTIONS, ...stripUndefined(track) } as ResolvedSouvenirsOptions['track'];
}

function resolveKickBuffer(kickBuffer: unknown): ResolvedSouvenirsOptions['kickBuffer'] {
  if (!expectSection('kickBuffer', kickBuffer, ['maxCells', 'flushIntervalMs', 'trackingFlushIntervalMs'])) {
    return DEFAULT_OPTIONS.kickBuffer;
  }
  expect('kickBuffer.maxCells', kickBuffer.maxCells, isPositiveInteger, 'a positive integer');
  expect('kickBuffer.flushIntervalMs', kickBuffer.flushIntervalMs, isNonNegativeNumber, 'a number of milliseconds >= 0');
  expect(
    'kickBuffer.trackingFlushIntervalMs',
    kickBuffer.trackingFlushIntervalMs,
    isNonNegativeNumber,
    'a number of milliseconds >= 0',
  );
  return { ...DEFAULT_OPTIONS.kickBuffer, ...stripUndefined(kickBuffer) };
}

function validateDashboard(dashboard: unknown): void {
  if (!expectSection('dashboard', dashboard, ['path', 'guard', 'public'])) return;
  expect('dashboard.path', dashboard.path, (v) => typeof v === 'string', 'a URL path string');
  expect('dashboard.guard', dashboard.guard, isFunction, 'a guard class (Type<CanActivate>)');
  expect('dashboard.public', dashboard.public, isBoolean, 'a boolean');
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Validates the module options and fills in every default. Runs once, at boot, so a
 * wrong option stops the application with an error naming it instead of failing
 * later on a request.
 *
 * @throws InvalidOptionError naming the first wrong option and what was expected.
 * @internal
 */
export function resolveSouvenirsOptions(options: SouvenirsModuleOptions | undefined): ResolvedSouvenirsOptions {
  const given = (options ?? {}) as Record<string, unknown>;
  if (!isPlainObject(given)) throw new InvalidOptionError('options', 'an object', given);
  expectKnownKeys('', given, KNOWN_OPTIONS);

  validateRedis(given.redis);
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

  const defined = stripUndefined(given) as SouvenirsModuleOptions;
  return {
    redis: undefined,
    users: undefined,
    usageForPeriods: undefined,
    dashboard: undefined,
    ...DEFAULT_OPTIONS,
    ...defined,
    metricas: [...(defined.metricas ?? [])],
    kickBuffer: resolveKickBuffer(defined.kickBuffer),
    track: resolveTrack(defined.track),
  };
}
