/**
 * The calendar every feature counts in: the time zone of its buckets and the clock.
 * Shared by the features' options (activity, metricas, reports, dashboard, tracking),
 * so its defaults have one home, at the bottom of the house.
 *
 * @publicApi
 */
export interface ClockOptions {
  /** IANA zone of every calendar bucket (default `'UTC'`). */
  timeZone?: string;
  /** The clock (default `() => new Date()`). */
  now?: () => Date;
}

/** `ClockOptions` with the defaults filled in. @internal */
export type ResolvedClockOptions = Required<ClockOptions>;

/** The documented defaults of `timeZone` and `now`. @internal */
export const DEFAULT_CLOCK_OPTIONS: ResolvedClockOptions = {
  timeZone: 'UTC',
  now: () => new Date(),
};

/** The clock of the given options, defaults filled in. @internal */
export function resolveClockOptions({ timeZone, now }: ClockOptions): ResolvedClockOptions {
  return { timeZone: timeZone ?? DEFAULT_CLOCK_OPTIONS.timeZone, now: now ?? DEFAULT_CLOCK_OPTIONS.now };
}
