import type { ActiveDayRef } from './active-days.interface.js';
import type { UserBitset } from '../shared/user-bitset.js';

/**
 * Day logs: the rows of one local day as (user number, instant), for ranges whose
 * ends are not on local midnights (a rolling window ending now, a subscription
 * period starting at 22:00). A day bitmap says who was active on the day; a log
 * says when, so the users of any part of the day come from the store alone, to the
 * millisecond. Logs are built from SQL for the days a range cuts, on demand, and
 * kept current by every write of their day once built. See {@link ActiveDayLogsStore}.
 */

/**
 * One day's log as read back: `rows[2i]` is a user number (numbered as the
 * `days` of the same `readActiveDays` reply), `rows[2i + 1]` the milliseconds
 * from the day's start (`ActiveDayRef.startMs`) to that row. A user may appear
 * more than once, in any order.
 *
 * @publicApi
 */
export interface ActiveDayLog {
  readonly rows: Uint32Array;
}

/**
 * A step of a log build from SQL. `begin` replaces the day's log with an empty one
 * owned by `build` (from then on, every write of the day appends to it); rows
 * follow, in as many writes as needed; `complete` marks it complete. A write of a
 * build that no longer owns the log (another build began since) does nothing, so
 * a log is only ever complete with one build's rows.
 *
 * @publicApi
 */
export interface ActiveDayLogWrite {
  /** The day; `startMs` is required here. */
  readonly day: ActiveDayRef;
  /** The build's token, an integer in [2, 2³²). */
  readonly build: number;
  /** Row users and instants (epoch ms, within the day), in pairs by position. */
  readonly users: readonly string[];
  readonly whens: readonly number[];
  readonly begin?: boolean;
  readonly complete?: boolean;
}

/**
 * Optional method of a `SouvenirsStore` that keeps day logs; the store then also
 * answers `readActiveDays`' `logs` argument, appends every row added to a day whose
 * log exists (by `addActiveUsers` with `whens`, called after the row's commit; a
 * claim adds nothing), and drops a day's log when the day is cleared or invalidated.
 * Logs hold user numbers: a store that can lose its numbering must lose its logs with
 * it (see the Redis store's `{activity}:numbered`). A store without it works: the ends of a range
 * off midnight then come from SQL.
 *
 * A log is *complete* only once a build marks it so, and until it expires, is
 * dropped, or the store loses it: its completeness lives in the same key as its
 * rows, so they vanish together.
 *
 * @publicApi
 */
export interface ActiveDayLogsStore {
  /** One step of a log build, atomically, in one round trip. */
  addActiveDayLog?(write: ActiveDayLogWrite): Promise<void>;
  /**
   * The union of each list of days in `unions` (day ids), made in the store, and
   * the logs of `logs` (day ids), in one round trip, read atomically (one step for
   * all of them, one numbering): what a range off midnight needs (its whole days
   * together, the logs of the days it cuts), without reading back every day.
   */
  readActiveDayUnions?(unions: readonly (readonly string[])[], logs: readonly string[]): Promise<ActiveDayUnions>;
}

/**
 * The reply of `readActiveDayUnions`, numbered as one `readActiveDays` reply.
 *
 * @publicApi
 */
export interface ActiveDayUnions {
  /** Per union asked, the users of its days together (none for no days), or `null` when one of its days is not complete. */
  readonly unions: readonly (UserBitset | null)[];
  /** The days asked (each once) that are not complete. */
  readonly incompleteDays: readonly string[];
  /** Per log asked, its rows, or `null` when it is not complete (see `ActiveDayMembers.logs`). */
  readonly logs: readonly (ActiveDayLog | null)[];
}
