import { DateTime, IANAZone } from 'luxon';
import { InvalidDateError } from '../errors/invalid-date.error.js';
import { UnknownTimeZoneError } from '../errors/unknown-time-zone.error.js';

/**
 * A wall-clock date and time, as read on a clock in some time zone. `month` is 1-12.
 *
 * @internal
 */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
  millisecond?: number;
}

// Checking a zone builds an Intl.DateTimeFormat, which is costly; zones are few, so
// remember the ones already accepted (unknown ones are not cached: they throw anyway).
const knownZones = new Set<string>();

const DAY_MS = 86_400_000;

/**
 * Checks that `timeZone` is an IANA zone name this runtime knows (e.g. `'UTC'`,
 * `'America/New_York'`).
 *
 * @throws {UnknownTimeZoneError} when the zone is unknown (or not a string).
 */
export function assertTimeZone(timeZone: string): void {
  if (typeof timeZone === 'string' && knownZones.has(timeZone)) return;
  if (typeof timeZone !== 'string' || !IANAZone.isValidZone(timeZone)) {
    throw new UnknownTimeZoneError(String(timeZone));
  }
  knownZones.add(timeZone);
}

/**
 * Checks that `value` is a `Date` holding a real instant (not `Invalid Date`).
 *
 * @param argument the argument's name, quoted in the error message.
 * @throws {InvalidDateError} for anything else.
 * @internal
 */
export function assertValidDate(argument: string, value: unknown): asserts value is Date {
  // A tag check, not `instanceof`: Dates made in another realm (a vm context, a worker) are Dates too.
  if (Object.prototype.toString.call(value) !== '[object Date]' || Number.isNaN((value as Date).getTime())) {
    throw new InvalidDateError(argument, value);
  }
}

/**
 * The instant `date` as a luxon `DateTime` read in `timeZone`. Does not validate: callers
 * check the date and the zone first (see {@link assertValidDate}, {@link assertTimeZone}).
 *
 * @internal
 */
export function toZoned(date: Date, timeZone = 'UTC'): DateTime {
  return DateTime.fromJSDate(date, { zone: timeZone });
}

/**
 * The instant a clock in `timeZone` shows `wallClock`, resolved deterministically:
 * - a time that does not exist that day (inside a spring-forward gap) is shifted forward by
 *   the gap, as luxon does (02:30 on a New York spring-forward day is 03:30 EDT);
 * - a time that exists twice (inside a fall-back overlap) is the earlier of the two instants.
 *
 * luxon alone resolves an overlap with an offset guessed from the current date, so the same
 * call could give different instants in summer and in winter; we pick the earlier one explicitly.
 *
 * @internal
 */
export function fromWallClock(wallClock: WallClock, timeZone = 'UTC'): DateTime {
  return earliest(DateTime.fromObject(wallClock, { zone: timeZone }));
}

/**
 * `base` moved to other wall-clock fields in its own zone (e.g. another date at the same time
 * of day), resolved as {@link fromWallClock} does. Cheaper than `fromObject` in a loop: luxon
 * takes `base`'s offset as its first guess instead of computing the current one.
 *
 * @internal
 */
export function withWallClock(base: DateTime, fields: Partial<WallClock>): DateTime {
  return earliest(base.set(fields));
}

/** The earlier instant when `dateTime`'s wall-clock time occurs twice, else `dateTime`. */
function earliest(dateTime: DateTime): DateTime {
  // Resolving to the later of two instants needs the offset to have dropped shortly before;
  // if it is no lower than a day earlier, `dateTime` is already the first (this saves most
  // of getPossibleOffsets' zone look-ups, the costly part of period iteration).
  if (!(dateTime.zone.offset(dateTime.toMillis() - DAY_MS) > dateTime.offset)) return dateTime;
  let first = dateTime;
  for (const candidate of dateTime.getPossibleOffsets()) {
    if (candidate.toMillis() < first.toMillis()) first = candidate;
  }
  return first;
}
