import { InvalidStoreArgumentError } from '../errors/invalid-store-argument.error.js';
import type { FirstActivityBuildWrite, FirstActivityDay, FirstActivityWindow, FirstActivityWrite } from './first-activity.interface.js';
import { checkString } from './store-arguments.js';

/** First active days are kept as `day + FIRST_DAY_OFFSET` in 32 bits, 0 meaning "none": |day| stays below it. @internal */
export const FIRST_DAY_OFFSET = 2 ** 30;

/** Throws unless `day` is a day number the stores can keep. */
function checkDayNumber(method: string, argument: string, day: unknown): asserts day is number {
  if (!Number.isSafeInteger(day) || Math.abs(day as number) >= FIRST_DAY_OFFSET) {
    throw new InvalidStoreArgumentError(method, argument, `an integer of absolute value < 2^30 (days since 1970-01-01)`, day);
  }
}

function checkObject(method: string, argument: string, value: unknown, expected: string): void {
  if (typeof value !== 'object' || value === null) throw new InvalidStoreArgumentError(method, argument, expected, value);
}

/** Checks the `firstActivity` of a day reference, when given. @publicApi */
export function checkFirstActivityDay(method: string, argument: string, value: FirstActivityDay | undefined): void {
  if (value === undefined) return;
  checkObject(method, argument, value, 'a { calendar, day } object or absent');
  checkString(method, `${argument}.calendar`, value.calendar);
  checkDayNumber(method, `${argument}.day`, value.day);
}

/** Checks the write of `addFirstActivity`. @publicApi */
export function checkFirstActivityWrite(write: FirstActivityWrite): void {
  const method = 'addFirstActivity';
  checkObject(method, 'write', write, 'a { calendar, users } object');
  checkString(method, 'write.calendar', write.calendar);
  for (const flag of ['clear', 'complete'] as const) {
    if (write[flag] !== undefined && typeof write[flag] !== 'boolean') {
      throw new InvalidStoreArgumentError(method, `write.${flag}`, 'a boolean or absent', write[flag]);
    }
  }
  checkFirstDayPairs(method, write.users);
}

/** Checks the write of `writeFirstActivityBuild`. @publicApi */
export function checkFirstActivityBuildWrite(write: FirstActivityBuildWrite): void {
  const method = 'writeFirstActivityBuild';
  checkObject(method, 'write', write, 'a { calendar, build, users } object');
  checkString(method, 'write.calendar', write.calendar);
  checkString(method, 'write.build', write.build);
  if (write.finish !== undefined && typeof write.finish !== 'boolean') {
    throw new InvalidStoreArgumentError(method, 'write.finish', 'a boolean or absent', write.finish);
  }
  checkFirstDayPairs(method, write.users);
}

function checkFirstDayPairs(method: string, users: FirstActivityWrite['users']): void {
  if (!Array.isArray(users)) throw new InvalidStoreArgumentError(method, 'write.users', 'an array of [user, day] pairs', users);
  users.forEach((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2) throw new InvalidStoreArgumentError(method, `write.users[${i}]`, 'a [user, day] pair', pair);
    checkString(method, `write.users[${i}][0]`, pair[0]);
    checkDayNumber(method, `write.users[${i}][1]`, pair[1]);
  });
}

/** Checks the calendar of `invalidateFirstActivity` (or of `method`). @publicApi */
export function checkFirstActivityCalendar(calendar: string, method = 'invalidateFirstActivity'): void {
  checkString(method, 'calendar', calendar);
}

/** Checks the `first` argument of `readActiveDays`, when given. @publicApi */
export function checkFirstActivityWindow(first: FirstActivityWindow | undefined): void {
  if (first === undefined) return;
  const method = 'readActiveDays';
  checkObject(method, 'first', first, 'a { calendar, fromDay, toDay } object or absent');
  checkString(method, 'first.calendar', first.calendar);
  checkDayNumber(method, 'first.fromDay', first.fromDay);
  checkDayNumber(method, 'first.toDay', first.toDay);
}
