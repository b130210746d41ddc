import { resolveClockOptions, type ClockOptions, type ResolvedClockOptions } from '../calendar/clock-options.js';

/** The module options analytics reads. @internal */
export interface AnalyticsOptions extends ClockOptions {
  /** First day of weekly periods, ISO weekday 1 (Monday) … 7 (Sunday). */
  weekStart?: number;
}

/** What analytics, its CLI commands and its dashboard page inject (`SOUVENIRS_ANALYTICS_OPTIONS`). @internal */
export interface ResolvedAnalyticsOptions extends ResolvedClockOptions {
  weekStart: number;
}

/** Analytics' documented default: weeks start on Monday. @internal */
export const DEFAULT_ANALYTICS_OPTIONS = { weekStart: 1 } as const;

/** Derives the analytics options from the validated module options, once, at boot. @internal */
export function resolveAnalyticsOptions(given: AnalyticsOptions): ResolvedAnalyticsOptions {
  return { ...resolveClockOptions(given), weekStart: given.weekStart ?? DEFAULT_ANALYTICS_OPTIONS.weekStart };
}
