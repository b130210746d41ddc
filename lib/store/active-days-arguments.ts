import { InvalidStoreArgumentError } from '../errors/invalid-store-argument.error.js';
import type { ActiveDayBuildWrite, ActiveDayRef, ActiveUserForget, ActiveUsersOfDay, ActiveUsersQuery } from './active-days.interface.js';
import type { ActiveDayLogWrite } from './active-day-logs.interface.js';
import { checkInteger, checkString } from './store-arguments.js';
import { checkFirstActivityDay } from './first-activity-arguments.js';

/** Checks a day reference once for both stores. @publicApi */
export function checkActiveDay(method: string, argument: string, day: ActiveDayRef): void {
  if (typeof day !== 'object' || day === null) {
    throw new InvalidStoreArgumentError(method, argument, 'an { id, expireAtMs } object', day);
  }
  checkString(method, `${argument}.id`, day.id);
  checkInteger(method, `${argument}.expireAtMs`, day.expireAtMs, 0);
  checkFirstActivityDay(method, `${argument}.firstActivity`, day.firstActivity);
  if (day.startMs !== undefined) checkInteger(method, `${argument}.startMs`, day.startMs);
}

/** Checks the writes of `addActiveUsers`. @publicApi */
export function checkActiveWrites(writes: readonly ActiveUsersOfDay[]): void {
  if (!Array.isArray(writes)) throw new InvalidStoreArgumentError('addActiveUsers', 'writes', 'an array', writes);
  writes.forEach((write, i) => {
    checkActiveDay('addActiveUsers', `writes[${i}].day`, write?.day);
    for (const flag of ['clear', 'complete'] as const) {
      if (write[flag] !== undefined && typeof write[flag] !== 'boolean') {
        throw new InvalidStoreArgumentError('addActiveUsers', `writes[${i}].${flag}`, 'a boolean or absent', write[flag]);
      }
    }
    checkStrings('addActiveUsers', `writes[${i}].users`, write.users);
    if (write.whens !== undefined) checkWhens('addActiveUsers', `writes[${i}]`, write.day, write.users, write.whens);
  });
}

/** Checks one step of `addActiveDayLog`. @publicApi */
export function checkActiveDayLog(write: ActiveDayLogWrite): void {
  const method = 'addActiveDayLog';
  if (typeof write !== 'object' || write === null) throw new InvalidStoreArgumentError(method, 'write', 'an object', write);
  checkActiveDay(method, 'write.day', write.day);
  if (write.day.startMs === undefined) throw new InvalidStoreArgumentError(method, 'write.day.startMs', 'the day\'s start (epoch ms)', undefined);
  checkInteger(method, 'write.build', write.build, 2);
  if (write.build > 0xffffffff) throw new InvalidStoreArgumentError(method, 'write.build', 'an integer in [2, 2^32)', write.build);
  for (const flag of ['begin', 'complete'] as const) {
    if (write[flag] !== undefined && typeof write[flag] !== 'boolean') {
      throw new InvalidStoreArgumentError(method, `write.${flag}`, 'a boolean or absent', write[flag]);
    }
  }
  checkStrings(method, 'write.users', write.users);
  checkWhens(method, 'write', write.day, write.users, write.whens);
}

/** Row instants: one per user, within the day (an offset from `startMs` in [0, 2³²)). */
function checkWhens(method: string, argument: string, day: ActiveDayRef, users: readonly string[], whens: readonly number[]): void {
  if (!Array.isArray(whens) || whens.length !== users.length) {
    throw new InvalidStoreArgumentError(method, `${argument}.whens`, `an array of ${users.length} epoch ms, one per user`, whens);
  }
  if (day.startMs === undefined) throw new InvalidStoreArgumentError(method, `${argument}.day.startMs`, 'the day\'s start, with whens', undefined);
  const start = day.startMs;
  whens.forEach((when, i) => {
    if (!Number.isSafeInteger(when) || when < start || when - start > 0xffffffff) {
      throw new InvalidStoreArgumentError(method, `${argument}.whens[${i}]`, 'an integer epoch ms within the day', when);
    }
  });
}

/** Checks the days of `beginActiveDayBuilds`. @publicApi */
export function checkActiveDayBuilds(days: readonly ActiveDayRef[]): void {
  if (!Array.isArray(days)) throw new InvalidStoreArgumentError('beginActiveDayBuilds', 'days', 'an array', days);
  days.forEach((day, i) => checkActiveDay('beginActiveDayBuilds', `days[${i}]`, day));
}

/** Checks the writes of `writeActiveDayBuilds`. @publicApi */
export function checkActiveDayBuildWrites(writes: readonly ActiveDayBuildWrite[]): void {
  const method = 'writeActiveDayBuilds';
  if (!Array.isArray(writes)) throw new InvalidStoreArgumentError(method, 'writes', 'an array', writes);
  writes.forEach((write, i) => {
    checkActiveDay(method, `writes[${i}].day`, write?.day);
    checkString(method, `writes[${i}].build`, write.build);
    if (write.finish !== undefined && typeof write.finish !== 'boolean') {
      throw new InvalidStoreArgumentError(method, `writes[${i}].finish`, 'a boolean or absent', write.finish);
    }
    checkStrings(method, `writes[${i}].users`, write.users);
  });
}

/** Checks day ids. @publicApi */
export function checkDayIds(method: string, days: readonly string[]): void {
  checkStrings(method, 'days', days);
}

/** Checks the queries of `countActiveUsers`. @publicApi */
export function checkActiveQueries(queries: readonly ActiveUsersQuery[]): void {
  if (!Array.isArray(queries)) throw new InvalidStoreArgumentError('countActiveUsers', 'queries', 'an array', queries);
  queries.forEach((query, i) => {
    checkStrings('countActiveUsers', `queries[${i}].days`, query?.days);
    checkStrings('countActiveUsers', `queries[${i}].users`, query.users);
  });
}

/** Checks the argument of `countActiveUsersPerTenant`. @publicApi */
export function checkActiveUsersPerTenantQuery(query: { readonly days: readonly string[]; readonly users: readonly string[] }): void {
  if (typeof query !== 'object' || query === null) throw new InvalidStoreArgumentError('countActiveUsersPerTenant', 'query', 'an object', query);
  checkStrings('countActiveUsersPerTenant', 'query.days', query.days);
  checkStrings('countActiveUsersPerTenant', 'query.users', query.users);
  query.users.forEach((pair, i) => {
    if (!pair.includes('\u0000')) throw new InvalidStoreArgumentError('countActiveUsersPerTenant', `query.users[${i}]`, 'a (user, tenant) pair, rateLimitSubject(user, tenant)', pair);
  });
}

function checkStrings(method: string, argument: string, values: readonly string[]): void {
  if (!Array.isArray(values)) throw new InvalidStoreArgumentError(method, argument, 'an array of strings', values);
  values.forEach((value, i) => checkString(method, `${argument}[${i}]`, value));
}

/** Checks the argument of `forgetActiveUser`. @publicApi */
export function checkActiveUserForget(forget: ActiveUserForget): void {
  if (typeof forget !== 'object' || forget === null) throw new InvalidStoreArgumentError('forgetActiveUser', 'forget', 'an object', forget);
  checkString('forgetActiveUser', 'user', forget.user);
  checkInteger('forgetActiveUser', 'pendingBeforeMs', forget.pendingBeforeMs);
  if (forget.dropPending !== undefined && typeof forget.dropPending !== 'boolean') {
    throw new InvalidStoreArgumentError('forgetActiveUser', 'dropPending', 'a boolean, or absent', forget.dropPending);
  }
}
