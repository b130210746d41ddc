import type { UserBitset } from '../shared/user-bitset.js';
import type { FirstActivityWindow } from './first-activity.interface.js';
import type { ActiveDayLog } from './active-day-logs.interface.js';

/**
 * Reading the active-users index back as sets, for the active-user analytics
 * (retention, lifecycle, stickiness): what `ActiveDaysStore` keeps, seen as the
 * members of each day rather than as counts. See {@link ActiveDayMembersStore}.
 */

/**
 * The users of some days of the index, as small integers: one number per user,
 * the same in every day of one reply (and only within that reply), so days can be
 * intersected and subtracted without sending user ids around.
 *
 * @publicApi
 */
export interface ActiveDayMembers {
  /**
   * Per day asked, its users as a bitset of their numbers (a Redis bitmap is read
   * as it is, not user by user), or `null` when the day is not complete.
   */
  readonly days: readonly (UserBitset | null)[];
  /**
   * Per user asked, its number, or `null` when the user is in none of the days
   * asked (a number given to a user in none of them is allowed too).
   */
  readonly users: readonly (number | null)[];
  /**
   * When the read asked for a first-activity window: the users whose first
   * activity ever falls in it (numbered as `days`), or `null` when the store does
   * not hold that calendar complete. Absent when not asked, or from a store
   * without first activity.
   */
  readonly firstActive?: UserBitset | null;
  /**
   * When the read asked for `logs` and the store keeps day logs: per log asked,
   * its rows (numbered as `days`), or `null` when it is not complete. Absent
   * otherwise.
   */
  readonly logs?: readonly (ActiveDayLog | null)[];
}

/**
 * Optional method of a `SouvenirsStore` that reads the active-users index back.
 * A store without it works: the analytics then read the days from SQL.
 *
 * @publicApi
 */
export interface ActiveDayMembersStore {
  /**
   * The users of each of `days` and the numbers of `users`, in one round trip,
   * read atomically (one step for all the days); with `first`, the users first
   * active in that window too, in the same step and numbering; with `logs` (day
   * ids), those days' logs too (see `ActiveDayLogsStore`).
   */
  readActiveDays?(days: readonly string[], users: readonly string[], first?: FirstActivityWindow, logs?: readonly string[]): Promise<ActiveDayMembers>;
}
