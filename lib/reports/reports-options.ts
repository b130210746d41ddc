import { resolveClockOptions } from '../calendar/clock-options.js';
import type { ReportsOptions, ResolvedReportsOptions } from './reports-options.interface.js';

/** Derives the reports' options from the validated module options, once, at boot. @internal */
export function resolveReportsOptions(given: ReportsOptions): ResolvedReportsOptions {
  return { ...resolveClockOptions(given), users: given.users, usageForPeriods: given.usageForPeriods };
}
