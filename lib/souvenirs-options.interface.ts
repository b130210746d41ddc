import type { DashboardOptions } from './dashboard/dashboard-options.interface.js';
import type { KickBufferOptions } from './metricas/kick/kick-buffer-options.interface.js';
import type { MetricaDefinition } from './metricas/definition/metrica-definition.interface.js';
import type { PrometheusOptions } from './prometheus/prometheus-options.interface.js';
import type { UsageForPeriodsOverride, UsersOption } from './reports/reports-options.interface.js';
import type { SouvenirsRedisOption, SouvenirsStoreOption } from './store/store-options.interface.js';
import type { TrackOptions } from './tracking/track-options.interface.js';

// Each feature folder owns its options' types; this file only combines them (every
// import points down into a feature). The public types stay importable from here.
export type { DashboardOptions } from './dashboard/dashboard-options.interface.js';
export type { KickBufferOptions } from './metricas/kick/kick-buffer-options.interface.js';
export type {
  Periods,
  UsageForPeriods,
  UsageForPeriodsOverride,
  UsersEntityOptions,
  UsersOption,
} from './reports/reports-options.interface.js';
export type { SouvenirsRedisOption, SouvenirsStoreOption } from './store/store-options.interface.js';
export type { TrackMode, TrackOptions, UserId } from './tracking/track-options.interface.js';

/**
 * Options of `SouvenirsModule.forRoot()`; all optional.
 *
 * @publicApi
 */
export interface SouvenirsModuleOptions {
  /**
   * Redis (or Valkey) for counters, stored choices and the rate limit: a client, `RedisOptions`
   * or a `redis://`, `rediss://`, `valkey://` or `valkeys://` URL. Absent (and no `store`): in-process memory.
   */
  redis?: SouvenirsRedisOption;
  /**
   * Another `SouvenirsStore` for counters, stored choices and the rate limit, instead of
   * `redis` (both together are an error): an instance, or a class that Nest takes from
   * the application when it provides it, else instantiates with its dependencies.
   */
  store?: SouvenirsStoreOption;
  /** Prefix of every Redis key (default `'souvenirs'`). */
  keyPrefix?: string;
  /** How often one user's activity is written, at most, in seconds (default 3600; 0 turns it off). */
  rateLimitSeconds?: number;
  /** IANA zone of every calendar bucket (default `'UTC'`). */
  timeZone?: string;
  /** First day of the week of weekly periods (retention, lifecycle, stickiness, the dashboard): ISO weekday 1 (Monday) … 7 (Sunday); default 1. */
  weekStart?: number;
  /** The clock (default `() => new Date()`). */
  now?: () => Date;
  /** Where registered/activated users come from (an entity description, a `UsersSource` class Nest instantiates, or an instance); absent: they are `null` in reports. */
  users?: UsersOption;
  /** Metricas defined at start. */
  metricas?: MetricaDefinition[];
  /** How metrica kicks are buffered and coalesced. */
  kickBuffer?: KickBufferOptions;
  /** How requests are tracked, or `false` for no interceptor. */
  track?: TrackOptions | false;
  /** Override of the low-level usage function. */
  usageForPeriods?: UsageForPeriodsOverride;
  /** Dashboard routes; absent: none. */
  dashboard?: DashboardOptions;
  /** A Prometheus text-exposition endpoint; absent: none. */
  prometheus?: PrometheusOptions;
}
