import { resolveClockOptions, type ClockOptions } from '../calendar/clock-options.js';

/** The module options activity reads. @internal */
export interface ActivityOptions extends ClockOptions {
  rateLimitSeconds?: number;
}

/** What `ActivityService` injects (`SOUVENIRS_ACTIVITY_OPTIONS`): defaults filled in. @internal */
export interface ResolvedActivityOptions {
  rateLimitSeconds: number;
  now: () => Date;
}

/** Activity's documented defaults. @internal */
export const DEFAULT_ACTIVITY_OPTIONS = { rateLimitSeconds: 3600 } as const;

/** Derives activity's options from the validated module options, once, at boot. @internal */
export function resolveActivityOptions(given: ActivityOptions): ResolvedActivityOptions {
  return {
    rateLimitSeconds: given.rateLimitSeconds ?? DEFAULT_ACTIVITY_OPTIONS.rateLimitSeconds,
    now: resolveClockOptions(given).now,
  };
}
