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
