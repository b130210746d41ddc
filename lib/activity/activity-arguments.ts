import { describeValue } from '../errors/describe-value.js';
import { InvalidBackfillEntryError } from '../errors/invalid-backfill-entry.error.js';
import { InvalidDateError } from '../errors/invalid-date.error.js';
import { InvalidOptionError } from '../errors/invalid-option.error.js';
import { InvalidRangeError } from '../errors/invalid-range.error.js';
import { InvalidRateLimitError } from '../errors/invalid-rate-limit.error.js';
import { SouvenirsError } from '../errors/souvenirs.error.js';
import { assertSupportedDate } from '../calendar/period-limits.js';
import { toUserId } from './user-ref.js';
import type { SouvenirRow } from '../table/souvenir.entity.js';
import { toTenant } from './tenant.js';

/**
 * Argument checks of `ActivityService`: every call validates all its input here
 * before it claims a rate limit or touches the database.
 */

/** Largest backfill batch: 2 bind parameters a row stay well under SQLite's 32 766 and PostgreSQL's 65 535. @internal */
export const MAX_BACKFILL_BATCH_SIZE = 10_000;

/** Most backfill batches written at once: each holds a pool connection (TypeORM's pools default to 10). @internal */
export const MAX_BACKFILL_CONCURRENCY = 8;

/**
 * A `Date` holding a real instant. Checked by tag rather than `instanceof`, so Dates
 * from another realm (a VM context, a worker) are accepted too.
 *
 * @internal
 */
export function isValidDate(value: unknown): value is Date {
  return Object.prototype.toString.call(value) === '[object Date]' && !Number.isNaN((value as Date).getTime());
}

/**
 * A valid Date within `SUPPORTED_DATES` (years 1000–9999), which every database stores and compares.
 *
 * @internal
 * @throws InvalidDateError unless `value` is a valid Date, or (`reason: 'out-of-range'`) when it is outside the supported years.
 */
export function checkDate(argument: string, value: unknown): Date {
  if (!isValidDate(value)) throw new InvalidDateError(argument, value);
  assertSupportedDate(argument, value);
  return value;
}

/** @internal @throws InvalidOptionError unless `value` is `true`, `false` or absent. */
export function checkFlag(option: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new InvalidOptionError(option, 'true or false', value);
  return value;
}

/**
 * The rate limit of one `souvenez` call, in whole milliseconds (0: none).
 * `true` or absent is the module's `rateLimitSeconds`; `false` is none; a number is seconds.
 *
 * @internal
 * @throws InvalidRateLimitError for anything else, a negative or non-finite number included.
 */
export function rateLimitMs(ratelimit: unknown, defaultSeconds: number): number {
  const seconds = ratelimit === undefined || ratelimit === true ? defaultSeconds : ratelimit === false ? 0 : ratelimit;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    throw new InvalidRateLimitError(ratelimit);
  }
  // Any positive limit is at least 1 ms: stores count whole milliseconds.
  const ms = Math.ceil(seconds * 1000);
  if (!Number.isSafeInteger(ms)) throw new InvalidRateLimitError(ratelimit);
  return ms;
}

/**
 * A validated `{ start?, end? }` range; `null` and `undefined` both mean "open".
 *
 * @internal
 * @throws InvalidOptionError when `range` is not an object.
 * @throws InvalidDateError when `start` or `end` is present but not a valid Date.
 * @throws InvalidRangeError when `end` is before `start`.
 */
export function checkRange(range: unknown): { start?: Date; end?: Date } {
  if (range === undefined || range === null) return {};
  if (typeof range !== 'object') throw new InvalidOptionError('range', 'an object { start?, end? }', range);
  const { start, end } = range as { start?: unknown; end?: unknown };
  const checked = {
    start: start === undefined || start === null ? undefined : checkDate('range.start', start),
    end: end === undefined || end === null ? undefined : checkDate('range.end', end),
  };
  if (checked.start && checked.end && checked.end.getTime() < checked.start.getTime()) {
    throw new InvalidRangeError(checked.start, checked.end);
  }
  return checked;
}

/** Validated options of `backfill`. @internal */
export interface BackfillSettings {
  readonly checkDuplicate: boolean;
  readonly batchSize: number;
  /** `undefined`: the dialect's default. */
  readonly concurrency: number | undefined;
  readonly onProgress: ((done: number) => void) | undefined;
}

/**
 * @internal
 * @throws InvalidOptionError for a non-boolean `checkDuplicate`, a `batchSize` that is
 *   not an integer from 1 to {@link MAX_BACKFILL_BATCH_SIZE}, a `concurrency` that is not
 *   an integer from 1 to {@link MAX_BACKFILL_CONCURRENCY}, a non-function `onProgress`,
 *   or `entries` that are neither iterable nor async iterable.
 */
export function checkBackfillArguments(entries: unknown, options: unknown): BackfillSettings {
  const isIterable =
    typeof entries === 'object' &&
    entries !== null &&
    (typeof (entries as Iterable<unknown>)[Symbol.iterator] === 'function' ||
      typeof (entries as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function');
  if (!isIterable) throw new InvalidOptionError('entries', 'an iterable or async iterable of { user, when }', entries);
  const { checkDuplicate, batchSize = 1000, concurrency, onProgress } = (options ?? {}) as Record<string, unknown>;
  if (!isIntegerFromOneTo(batchSize, MAX_BACKFILL_BATCH_SIZE)) {
    throw new InvalidOptionError('batchSize', `an integer from 1 to ${MAX_BACKFILL_BATCH_SIZE}`, batchSize);
  }
  if (concurrency !== undefined && !isIntegerFromOneTo(concurrency, MAX_BACKFILL_CONCURRENCY)) {
    throw new InvalidOptionError('concurrency', `an integer from 1 to ${MAX_BACKFILL_CONCURRENCY}`, concurrency);
  }
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new InvalidOptionError('onProgress', 'a function (done: number) => void', onProgress);
  }
  return {
    checkDuplicate: checkFlag('checkDuplicate', checkDuplicate),
    batchSize,
    concurrency,
    onProgress: onProgress as BackfillSettings['onProgress'],
  };
}

function isIntegerFromOneTo(value: unknown, max: number): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 1 && (value as number) <= max;
}

/**
 * One backfill entry as a row.
 *
 * @internal
 * @param entryNumber 1-based position of the entry, for the error.
 * @param processed entries already written, for the error.
 * @throws InvalidBackfillEntryError naming the entry and what is wrong with it.
 */
export function checkBackfillEntry(entry: unknown, entryNumber: number, processed: number): SouvenirRow {
  const fail = (reason: string): never => {
    throw new InvalidBackfillEntryError(entryNumber, reason, processed);
  };
  if (typeof entry !== 'object' || entry === null) {
    return fail(`expected an object { user, when }, received ${describeValue(entry)}.`);
  }
  const { user, when, tenant } = entry as { user?: unknown; when?: unknown; tenant?: unknown };
  let userId: string;
  try {
    userId = toUserId(user);
  } catch (error) {
    if (error instanceof SouvenirsError) return fail(error.message);
    throw error;
  }
  try {
    return { userId, when: checkDate('when', when), tenant: toTenant(tenant) };
  } catch (error) {
    if (error instanceof SouvenirsError) return fail(error.message);
    throw error;
  }
}
