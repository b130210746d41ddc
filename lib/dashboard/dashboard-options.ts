import { resolveClockOptions, type ClockOptions } from '../calendar/clock-options.js';
import type { DashboardOptions } from './dashboard-options.interface.js';

/** The module options the dashboard reads. @internal */
export interface DashboardModuleOptions extends ClockOptions {
  dashboard?: DashboardOptions;
}

/** What the dashboard's guard, mount and data service inject (`SOUVENIRS_DASHBOARD_OPTIONS`). @internal */
export interface ResolvedDashboardOptions {
  /** Absent: no dashboard (its routes, added by `forRootAsync`, answer 404). */
  dashboard: DashboardOptions | undefined;
  timeZone: string;
  now: () => Date;
}

/** Derives the dashboard's options from the validated module options, once, at boot. @internal */
export function resolveDashboardOptions(given: DashboardModuleOptions): ResolvedDashboardOptions {
  return { ...resolveClockOptions(given), dashboard: given.dashboard };
}
