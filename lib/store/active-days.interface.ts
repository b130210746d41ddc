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
 * Users to add to one day of the index: the users of rows already committed (the
 * module calls it after the INSERT, never before). The users go to the day and to
 * the day's build under way, if any (see {@link ActiveDayBuildWrite}).
 *
 * `clear` and `complete` are low-level primitives kept for store tests; the module
 * never marks a day complete this way (a merge into what the store held could keep
 * a user whose row is gone): it rebuilds days through builds.
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
  /** Empty the day first (its users, its completeness and its log). */
  readonly clear?: boolean;
  /** Mark the day complete. */
  readonly complete?: boolean;
}

/**
 * Users from SQL for a day's build (see {@link ActiveDaysStore.beginActiveDayBuilds}):
 * written to the build's fresh key, not to the day. With `finish`, the build then
 * replaces the day, marked complete.
 *
 * @publicApi
 */
export interface ActiveDayBuildWrite {
  readonly day: ActiveDayRef;
  /** The id `beginActiveDayBuilds` gave for this day. */
  readonly build: string;
  readonly users: readonly string[];
  /** Swap the build in: it replaces the day (users and completeness) in one atomic step. */
  readonly finish?: boolean;
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
 * A day is *complete* only once a build of it was swapped in, and until it
 * expires, is invalidated, or the store loses it (a flush, a new server):
 * completeness lives in the same key as the day's users, so they vanish together.
 * A build is swapped in only if it was never lost, so a complete day holds every
 * committed row of it (see docs/activity.md, "Invariants").
 *
 * @publicApi
 */
export interface ActiveDaysStore {
  /** Adds users to days and to their builds under way, in one round trip (one atomic step per day). */
  addActiveUsers?(writes: readonly ActiveUsersOfDay[]): Promise<void>;
  /** Marks days not complete (their next use rebuilds them from SQL), drops their builds under way and their logs. */
  invalidateActiveDays?(days: readonly string[]): Promise<void>;
  /**
   * Starts a rebuild of each day in a fresh, empty key (a build), before the caller
   * reads the day from SQL, and returns its id; a day whose build is already under
   * way gives that build's id (a build started earlier is as fresh for this caller's
   * read). From then on `addActiveUsers` also writes the day's users to its build, so
   * a row committed after the caller's SQL read reaches it. A build may be lost
   * like any key (expiry after a few minutes unused, eviction, a flush).
   */
  beginActiveDayBuilds?(days: readonly ActiveDayRef[]): Promise<string[]>;
  /**
   * Writes users to builds; a `finish` write then swaps its build in place of the day.
   * Answers, per write, whether its build was still there: `false` when it was lost,
   * dropped by an invalidation, or already swapped in by another caller; nothing
   * is then written (the caller reads the day again, or asks SQL).
   */
  writeActiveDayBuilds?(writes: readonly ActiveDayBuildWrite[]): Promise<boolean[]>;
  /**
   * Removes the pending adds (see `claimRateLimit`'s `activeDay`) recorded before
   * `claimedBeforeMs` (epoch ms, wall time) and not cleared since, and returns
   * their days, each once: their writer may have died between its commit and its
   * add, so the caller rebuilds them. Optional: without it, such a row is missing
   * from its day until the day expires or is reindexed.
   */
  takeStalePendingDays?(claimedBeforeMs: number): Promise<string[]>;
  /** Answers distinct counts, in one round trip; each query is one atomic step. */
  countActiveUsers?(queries: readonly ActiveUsersQuery[]): Promise<ActiveUsersAnswer[]>;
  /**
   * What, in the store's own settings, may delete index keys in a way no day can
   * detect (Redis: a `maxmemory-policy` of `allkeys-*` may evict the user numbering),
   * as a sentence for the log; `null` when nothing is known to, or the settings
   * cannot be read. Asked once, at boot: with a risk, the index is not used (SQL
   * answers every count) or, with `activity.index: 'require-safe-policy'`, the
   * application refuses to start. Optional: a store without it is trusted.
   */
  indexEvictionRisk?(): Promise<string | null>;
}
