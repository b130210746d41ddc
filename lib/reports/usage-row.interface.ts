import type { UsersScope } from './users-source.interface.js';

/**
 * One period of a usage report. Reports resolve to these, oldest period first.
 *
 * @publicApi
 */
export interface UsageRow {
  /** `start` inclusive, `end` exclusive. */
  period: { start: Date; end: Date };
  /** Period labels (`yearMonth`, `calendarYear`, …); `usageForPeriods` leaves them out. */
  labels?: Record<string, string | number>;
  usage: UsageCounts;
}

/** */
export interface UsageCounts {
  /** Users who joined before the period's end; `null` when no `users` source is configured. */
  registeredUsers: number | null;
  /** Those of them who are activated; `null` when no `users` source is configured. */
  activatedUsers: number | null;
  /** Distinct users with activity in [start, end). */
  activeUsers: number;
}

/** The period boundaries a usage report is computed for. */
export type Periods = Iterable<readonly [Date, Date]>;

/** The built-in usage function, as handed to an override. */
export type UsageForPeriods = (periods: Periods) => Promise<UsageRow[]>;

/**
 * An override of the usage function, wrapping the built-in one (`next`). For a report
 * restricted to a subset, `next` counts within it and `scope.among` says which it is.
 */
export type UsageForPeriodsOverride = (periods: Periods, next: UsageForPeriods, scope?: UsersScope) => Promise<UsageRow[]>;
