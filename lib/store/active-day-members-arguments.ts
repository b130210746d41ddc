import { InvalidStoreArgumentError } from '../errors/invalid-store-argument.error.js';
import { checkString } from './store-arguments.js';
import { checkFirstActivityWindow } from './first-activity-arguments.js';
import type { FirstActivityWindow } from './first-activity.interface.js';

/** Checks the arguments of `readActiveDays` once for both stores. @publicApi */
export function checkReadActiveDays(days: readonly string[], users: readonly string[], first?: FirstActivityWindow, logs?: readonly string[]): void {
  for (const [argument, values] of [['days', days], ['users', users], ...(logs === undefined ? [] : [['logs', logs] as const])] as const) {
    if (!Array.isArray(values)) throw new InvalidStoreArgumentError('readActiveDays', argument, 'an array of strings', values);
    values.forEach((value, i) => checkString('readActiveDays', `${argument}[${i}]`, value));
  }
  checkFirstActivityWindow(first);
}

/** Checks the arguments of `readActiveDayUnions` once for both stores. @publicApi */
export function checkReadActiveDayUnions(unions: readonly (readonly string[])[], logs: readonly string[]): void {
  if (!Array.isArray(unions)) throw new InvalidStoreArgumentError('readActiveDayUnions', 'unions', 'an array of arrays of strings', unions);
  unions.forEach((days, u) => {
    if (!Array.isArray(days)) throw new InvalidStoreArgumentError('readActiveDayUnions', `unions[${u}]`, 'an array of strings', days);
    days.forEach((day, i) => checkString('readActiveDayUnions', `unions[${u}][${i}]`, day));
  });
  if (!Array.isArray(logs)) throw new InvalidStoreArgumentError('readActiveDayUnions', 'logs', 'an array of strings', logs);
  logs.forEach((log, i) => checkString('readActiveDayUnions', `logs[${i}]`, log));
}

/** Checks the arguments of `readActiveDaysAmong` once for both stores. @publicApi */
export function checkReadActiveDaysAmong(unions: readonly (readonly string[])[], users: readonly string[]): void {
  if (!Array.isArray(unions)) throw new InvalidStoreArgumentError('readActiveDaysAmong', 'unions', 'an array of arrays of strings', unions);
  unions.forEach((days, u) => {
    if (!Array.isArray(days)) throw new InvalidStoreArgumentError('readActiveDaysAmong', `unions[${u}]`, 'an array of strings', days);
    days.forEach((day, i) => checkString('readActiveDaysAmong', `unions[${u}][${i}]`, day));
  });
  if (!Array.isArray(users)) throw new InvalidStoreArgumentError('readActiveDaysAmong', 'users', 'an array of strings', users);
  users.forEach((user, i) => checkString('readActiveDaysAmong', `users[${i}]`, user));
}
