/**
 * The store's part of first activity: per user, the first local day it was ever
 * active on, for the analytics that need the users first active in a window
 * (retention cohorts, lifecycle "new"). Derived from the souvenirs table (the
 * source of truth) by `ActiveUsersIndex`, like the active days; a store only
 * keeps it. See {@link FirstActivityStore}.
 */

/**
 * A local day as first activity counts it: `calendar` names the series (the
 * caller puts the time zone in it: a changed zone starts afresh), `day` is the
 * local date as days since 1970-01-01 (negative before), |day| < 2^30.
 *
 * @publicApi
 */
export interface FirstActivityDay {
  readonly calendar: string;
  readonly day: number;
}

/**
 * First active days written from SQL. A value replaces what the store held for
 * that user (SQL knows best); users not written keep theirs. A build in several
 * writes is marked `complete` by its last one only.
 *
 * @publicApi
 */
export interface FirstActivityWrite {
  readonly calendar: string;
  /** Pairs of user id and its first active day (see {@link FirstActivityDay.day}). */
  readonly users: readonly (readonly [user: string, day: number])[];
  /** Forget every user of the calendar first (and its completeness), as a reindex does. */
  readonly clear?: boolean;
  /** Mark the calendar complete: it now holds every user's first active day (built from SQL). */
  readonly complete?: boolean;
}

/**
 * First active days from SQL for a build of a calendar (see
 * {@link FirstActivityStore.beginFirstActivityBuild}): each LOWERS the user's day in
 * the build (the build may hold an earlier day, of a row committed meanwhile).
 * With `finish`, the build then replaces the calendar, marked complete.
 *
 * @publicApi
 */
export interface FirstActivityBuildWrite {
  readonly calendar: string;
  /** The id `beginFirstActivityBuild` gave. */
  readonly build: string;
  /** Pairs of user id and its first active day (see {@link FirstActivityDay.day}). */
  readonly users: readonly (readonly [user: string, day: number])[];
  /** Swap the build in: it replaces the calendar (first days and completeness) in one atomic step. */
  readonly finish?: boolean;
}

/**
 * The window of a `readActiveDays` call whose first-active users are wanted:
 * days `fromDay` to `toDay`, both included.
 *
 * @publicApi
 */
export interface FirstActivityWindow {
  readonly calendar: string;
  readonly fromDay: number;
  readonly toDay: number;
}

/**
 * Optional methods of a `SouvenirsStore` that keep first activity. A store
 * without them works: the analytics then ask SQL who was first active.
 *
 * The store lowers a user's first day whenever an `ActiveDayRef` carrying
 * `firstActivity` adds it (a claim, `addActiveUsers`), and answers it in
 * `readActiveDays` (its `first` argument). A calendar is *complete* only once
 * a build of it was swapped in, and until it is invalidated or the store loses it (a flush, a new server): completeness lives in the same key as
 * the first days, so they vanish together.
 *
 * @publicApi
 */
export interface FirstActivityStore {
  /** Writes first active days, in one round trip, atomically (a low-level primitive for store tests: the module builds through `beginFirstActivityBuild`). */
  addFirstActivity?(write: FirstActivityWrite): Promise<void>;
  /** Marks a calendar not complete (its next use rebuilds it from SQL) and drops its build under way. */
  invalidateFirstActivity?(calendar: string): Promise<void>;
  /**
   * Starts a rebuild of `calendar` in a fresh, empty key, before the caller reads
   * first activity from SQL, and returns its id (the build already under way, if
   * any): from then on every day ref carrying `firstActivity` also lowers the build.
   */
  beginFirstActivityBuild?(calendar: string): Promise<string>;
  /**
   * Writes first days to a build; `finish` swaps it in. `false` when the build was
   * lost, dropped or already swapped in: nothing is then written.
   */
  writeFirstActivityBuild?(write: FirstActivityBuildWrite): Promise<boolean>;
}
