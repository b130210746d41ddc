import { resolveClockOptions, type ClockOptions } from '../calendar/clock-options.js';

/** What `ActiveUsersIndex` injects (`SOUVENIRS_ACTIVE_INDEX_OPTIONS`): the zone whose local days it keeps. @internal */
export interface ResolvedActiveIndexOptions {
  timeZone: string;
}

/** Derives the index's options from the validated module options, once, at boot. @internal */
export function resolveActiveIndexOptions(given: ClockOptions): ResolvedActiveIndexOptions {
  return { timeZone: resolveClockOptions(given).timeZone };
}
