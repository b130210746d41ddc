import { InvalidStoreArgumentError } from '../errors/invalid-store-argument.error.js';
import { checkString } from './store-arguments.js';
import { checkFirstActivityWindow } from './first-activity-arguments.js';
import type { FirstActivityWindow } from './first-activity.interface.js';

/** Checks the arguments of `readActiveDays` once for both stores. @publicApi */
export function checkReadActiveDays(days: readonly string[], users: readonly string[], first?: FirstActivityWindow, logs?: readonly string[]): void {
  checkStrings('readActiveDays', 'days', days);
  checkStrings('readActiveDays', 'users', users);
  if (logs !== undefined) checkStrings('readActiveDays', 'logs', logs);
  checkFirstActivityWindow(first);
}

/** Checks the arguments of `readActiveDayUnions` once for both stores. @publicApi */
export function checkReadActiveDayUnions(unions: readonly (readonly string[])[], logs: readonly string[]): void {
  checkUnions('readActiveDayUnions', unions);
  checkStrings('readActiveDayUnions', 'logs', logs);
}

/** Checks the arguments of `readActiveDaysAmong` once for both stores. @publicApi */
export function checkReadActiveDaysAmong(unions: readonly (readonly string[])[], users: readonly string[]): void {
  checkUnions('readActiveDaysAmong', unions);
  checkStrings('readActiveDaysAmong', 'users', users);
}

/** `unions` of `method`: an array of arrays of day ids. */
function checkUnions(method: string, unions: readonly (readonly string[])[]): void {
  if (!Array.isArray(unions)) throw new InvalidStoreArgumentError(method, 'unions', 'an array of arrays of strings', unions);
  unions.forEach((days, u) => checkStrings(method, `unions[${u}]`, days));
}

/** `argument` of `method`: an array of strings. */
function checkStrings(method: string, argument: string, values: readonly string[]): void {
  if (!Array.isArray(values)) throw new InvalidStoreArgumentError(method, argument, 'an array of strings', values);
  values.forEach((value, i) => checkString(method, `${argument}[${i}]`, value));
}
