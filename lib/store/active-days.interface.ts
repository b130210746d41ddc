import type { FirstActivityDay } from './first-activity.interface.js';

/**
 * The store's part of the active-users index: who was active on each local day,
 * for exact distinct counts over any run of days. The index is derived from the
 * souvenirs table (the source of truth) by `ActiveUsersIndex`; a store only keeps
 * it. See {@link ActiveDaysStore}.
 */

/**
 * One local day of the index, as the caller names it: `id` is opaque to the store
 * (the caller puts the time zone and the date in it, e.g. `Europe/Paris/2026-11-28`).
 *
 * @publicApi
 */
export interface ActiveDayRef {
  readonly id: string;
  /** Epoch milliseconds after which the store may drop the day (it is rebuilt on use). */
  readonly expireAtMs: number;
  /**
   * The day as first activity counts it: a store keeping first activity (see
   * `FirstActivityStore`) lowers the first day of every user added to this day.
   */
  readonly firstActivity?: FirstActivityDay;
  /**
   * The day's first instant (epoch ms): a store keeping day logs (see
   * `ActiveDayLogsStore`) appends each row it adds to the day, at its offset from
   * this, to the day's log when one exists.
   */
  readonly startMs?: number;
}

/**
 * Users to add to one day of the index. A day built in several writes is marked
 * `complete` by its last one only, so no reader trusts it half-written.
 *
 * @publicApi
 */
export interface ActiveUsersOfDay {
  readonly day: ActiveDayRef;
  readonly users: readonly string[];
  /**
   * The instant (epoch ms) of each user's row, by position (users may then repeat):
   * a store keeping day logs appends them to the day's log when one exists.
   */
  readonly whens?: readonly number[];
  /** Empty the day first (its log too) (its users and its completeness), as a reindex does. */
  readonly clear?: boolean;
  /** Mark the day complete: it now holds every user active that day (built from SQL). */
  readonly complete?: boolean;
}

/**
 * One distinct count: the union of the users of `days` and of `users` (ids from
 * outside the index, e.g. the edge hours of a range read from SQL).
 *
 * @publicApi
 */
export interface ActiveUsersQuery {
  readonly days: readonly string[];
  readonly users: readonly string[];
}

/**
 * The answer to one {@link ActiveUsersQuery}: the exact count, or the days that
 * are not complete in the index (never built, dropped, flushed or invalidated),
 * which the caller must build before asking again.
 *
 * @publicApi
 */
export type ActiveUsersAnswer = { readonly count: number } | { readonly incompleteDays: readonly string[] };

/**
 * Optional methods of a `SouvenirsStore` that keep the active-users index. A store
 * without them works: distinct counts then come from SQL alone.
 *
 * A day is *complete* only once built from SQL (a write with `complete`) and
 * until it expires, is invalidated, or the store loses it (a flush, a new server):
 * completeness lives in the same key as the day's users, so they vanish together.
 *
 * @publicApi
 */
export interface ActiveDaysStore {
  /** Adds users to days, in one round trip (one atomic step per day). */
  addActiveUsers?(writes: readonly ActiveUsersOfDay[]): Promise<void>;
  /** Marks days not complete (their next use rebuilds them from SQL), and drops their logs. */
  invalidateActiveDays?(days: readonly string[]): Promise<void>;
  /** Answers distinct counts, in one round trip; each query is one atomic step. */
  countActiveUsers?(queries: readonly ActiveUsersQuery[]): Promise<ActiveUsersAnswer[]>;
}
