import type { AnalyticsPeriodKind } from '../calendar/analytics-calendar.js';
import type { Among } from '../activity/user-subset.js';
/**
 * The rows of the active-user analytics of `ReportsService` (see SPEC.md,
 * "Active-user analytics"). Every period is a run of whole local days in the
 * module's `timeZone`: `start` is the first day's midnight, `end` the midnight
 * after the last (23- and 25-hour days included).
 */

/** A period of the analytics: `start` inclusive, `end` exclusive. */
export interface AnalyticsPeriod {
  start: Date;
  end: Date;
}


/** Whether retention counts users active in the k-th period (`classic`) or in it or any later one (`unbounded`). */
export type RetentionMode = 'classic' | 'unbounded';

/** One local day of `activeUsers`. @publicApi */
export interface ActiveUsersRow {
  period: AnalyticsPeriod;
  /** Distinct users active that day. */
  dau: number;
  /** Distinct users active in the 7 local days ending with it. */
  wau: number;
  /** Distinct users active in the 30 local days ending with it. */
  mau: number;
  /** `dau / mau`; `null` when `mau` is 0. */
  stickiness: number | null;
}

/** One cohort of `retention`. @publicApi */
export interface RetentionCohort {
  /** The cohort's period, from the one holding `start`. */
  period: AnalyticsPeriod;
  /** Users whose first activity ever falls in it. */
  size: number;
  /**
   * `retained[k]`: of them, those active in the k-th period after it (classic), or
   * in it or any later one (unbounded); `retained[0] === size`; one entry per
   * period up to `end`.
   */
  retained: number[];
}

/** One period of `lifecycle`. @publicApi */
export interface LifecycleRow {
  period: AnalyticsPeriod;
  /** First activity ever in this period. */
  new: number;
  /** Active in this period and the one before. */
  returning: number;
  /** Active in this period, not in the one before, but earlier. */
  resurrecting: number;
  /** Active in the period before, not in this one (a positive count). */
  dormant: number;
}

/** One period of `stickiness`. @publicApi */
export interface StickinessRow {
  period: AnalyticsPeriod;
  /** `days[n - 1]`: users active on exactly n local days of the period (one entry per day of it). */
  days: number[];
}

/** The range of a report over periods: from the period holding `start` to the one holding the instant before `end` (default now). */
export interface AnalyticsRange {
  start: Date;
  end?: Date;
  /** Only these users (an iterable of refs, or `{ where }` on the `users` entity); absent: every user. */
  among?: Among;
}

/** Arguments of `retention`. */
export interface RetentionOptions extends AnalyticsRange {
  period: AnalyticsPeriodKind;
  /** Default `classic`. */
  mode?: RetentionMode;
}

/** Arguments of `lifecycle`. */
export interface LifecycleOptions extends AnalyticsRange {
  period: AnalyticsPeriodKind;
}

/** Arguments of `stickiness`. */
export interface StickinessOptions extends AnalyticsRange {
  period: 'week' | 'month';
}
