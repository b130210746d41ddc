import type { CanActivate, ExecutionContext, Type } from '@nestjs/common';
import type { ActivitySettings } from './activity/activity.service.js';
import type { ActiveUsersIndexMode, ActiveUsersIndexSettings } from './active-users/active-users.index.js';
import type { SouvenirsCalendarOptions } from './calendar/souvenirs-calendar.js';
import { DEFAULT_DASHBOARD_PATH, type DashboardMountSettings } from './dashboard/dashboard-mount.js';
import type { DashboardGuardSettings } from './dashboard/dashboard.guard.js';
import type { MetricaDefinition } from './metricas/definition/metrica-definition.interface.js';
import type { MetricasSettings } from './metricas/metrica.registry.js';
import { DEFAULT_PROMETHEUS_PATH, type PrometheusMountSettings } from './prometheus/prometheus-mount.js';
import { DEFAULT_PROMETHEUS_MAX_SERIES } from './prometheus/prometheus-series.js';
import type { PrometheusGuardSettings } from './prometheus/prometheus.guard.js';
import type { PrometheusSettings } from './prometheus/prometheus.service.js';
import type { ReportsSettings } from './reports/reports.service.js';
import type { UsageForPeriodsOverride } from './reports/usage-row.interface.js';
import type { UsersOption } from './reports/users-source.interface.js';
import type { UsersSourceSettings } from './reports/users-source.provider.js';
import type { RedisSouvenirsStoreOptions } from './store/redis/redis-souvenirs.store.js';
import type { SouvenirsStore } from './store/souvenirs-store.interface.js';
import { requestUser, type UserId } from './tracking/request-user.js';
import type { InterceptorProviderSettings } from './tracking/souvenirs-interceptor.provider.js';
import { SouvenirsInterceptor, type TrackingSettings, type TrackMode } from './tracking/souvenirs.interceptor.js';
import type { TrackedMetricasSettings } from './tracking/tracked-metricas.check.js';
import type { RecorderSettings } from './tracking/tracking-recorder.js';

/**
 * The `redis` option: an ioredis client or Cluster, `RedisOptions`, or a `redis://`,
 * `rediss://`, `valkey://` or `valkeys://` URL (what `RedisSouvenirsStore` accepts, so
 * only the store folder knows ioredis).
 */
export type SouvenirsRedisOption = RedisSouvenirsStoreOptions['redis'];

/** The `store` option: a `SouvenirsStore` instance or class. */
export type SouvenirsStoreOption = SouvenirsStore | Type<SouvenirsStore>;


/** How the interceptor records requests. */
export interface TrackOptions {
  /** `'all'` (default) records every route; `'decorated'` only those with `@Track()`. */
  mode?: TrackMode;
  /**
   * Finds the signed-in user of a request; default `req.user?.id ?? req.user?.sub`, read
   * on the request and, on Fastify, on the raw Node request (`req.raw`) where
   * middleware sets it.
   */
  userId?: (context: ExecutionContext) => UserId | null | undefined;
  /**
   * Finds the tenant (organisation, workspace) of a request, e.g. `req.user.orgId`; absent,
   * `null` or `undefined`: no tenant. A function that throws or gives an invalid tenant
   * (see `InvalidTenantError`) never fails the request: it is logged, and the activity is
   * recorded without a tenant (the site still counts the user).
   */
  tenant?: (context: ExecutionContext) => string | null | undefined;
  /** Keep the built-in `response_time` metrica (default `true`). */
  responseTime?: boolean;
  /**
   * A `SouvenirsInterceptor` subclass registered app-wide in its place (default: the
   * class itself). Taken from the application when it provides it, else instantiated
   * by Nest with its dependencies. Do not register it as an `APP_INTERCEPTOR` yourself:
   * requests would be recorded twice.
   */
  interceptor?: Type<SouvenirsInterceptor>;
}

/**
 * How metrica kicks are coalesced before they reach the store: concurrent kicks are
 * merged into one aggregated write per flush.
 */
export interface KickBufferOptions {
  /** Most distinct counter cells waiting for a flush; past it, new kicks are dropped, counted and logged (default 100000). */
  maxCells?: number;
  /** How long a flush waits to gather more kicks, in ms (default 0: the next turn of the event loop). */
  flushIntervalMs?: number;
  /**
   * The same for the kicks of request tracking (`response_time`, `@Track`), which no
   * request awaits: a busy server then costs Redis one write per interval, not one
   * per turn of the event loop (default 1000 ms). `MetricaRegistry.flush()` writes them at once.
   */
  trackingFlushIntervalMs?: number;
  /**
   * How long a write whose connection failed (Redis restarting, a network blip, a
   * Cluster failover) is sent again before its kicks are dropped, counted and logged,
   * in ms (default 10000). Retries carry the write's flush id, so a write Redis
   * applied before the connection dropped is not counted twice. 0: no retries.
   */
  retryForMs?: number;
}

/** How activity is counted. */
export interface ActivityOptions {
  /**
   * Whether the active-users index may serve counts when the store's settings may
   * evict part of it (Redis `maxmemory-policy` `allkeys-*`, read at boot where `CONFIG
   * GET` is allowed): `'auto'` (default) logs one warning and counts from SQL instead,
   * slower but exact; `'require-safe-policy'` refuses to start (`UnsafeStoreSettingsError`).
   */
  index?: ActiveUsersIndexMode;
}

/** The dashboard's mount point and access control. */
export interface DashboardOptions {
  /** URL path of the dashboard (default `souvenirs`). */
  path?: string;
  /** A guard protecting every dashboard route. */
  guard?: Type<CanActivate>;
  /** Set to `true` to serve the dashboard without a guard, knowingly. */
  public?: boolean;
}

/**
 * The Prometheus endpoint: where it is mounted, who may scrape it, and which
 * metricas it exports.
 */
export interface PrometheusOptions {
  /** URL path of the endpoint (default `metrics`). */
  path?: string;
  /** A guard protecting the endpoint (e.g. one checking a bearer token or the scraper's address). */
  guard?: Type<CanActivate>;
  /** Set to `true` to serve the endpoint without a guard, knowingly. */
  public?: boolean;
  /** Names of the metricas exported (default: every metrica defined). */
  metricas?: string[];
  /**
   * Most series per metrica (default 10 000): past it, the combinations with the
   * fewest events are summed into one series labelled `"__other__"`, and a warning
   * is logged, so one unbounded axis cannot swamp Prometheus.
   */
  maxSeries?: number;
}

/**
 * Options of `SouvenirsModule.forRoot()`; all optional (defaults in `SOUVENIRS_DEFAULTS`).
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
  /** How activity is counted (the active-users index's safety check). */
  activity?: ActivityOptions;
  /** How requests are tracked, or `false` for no interceptor. */
  track?: TrackOptions | false;
  /** Override of the low-level usage function. */
  usageForPeriods?: UsageForPeriodsOverride;
  /** Dashboard routes; absent: none. */
  dashboard?: DashboardOptions;
  /** A Prometheus text-exposition endpoint; absent: none. */
  prometheus?: PrometheusOptions;
}

/** `dashboard` once resolved: its path filled in. */
type ResolvedDashboardOptions = DashboardOptions & { path: string };

/** `prometheus` once resolved: its path and `maxSeries` filled in. */
type ResolvedPrometheusOptions = PrometheusOptions & { path: string; maxSeries: number };

/**
 * The module options once validated, with every default filled in: what the module
 * provides under `SOUVENIRS_OPTIONS` (each consumer injects the slice it reads) and
 * builds the store and the `SouvenirsCalendar` from.
 *
 * @internal
 */
export interface ResolvedSouvenirsOptions {
  redis: SouvenirsRedisOption | undefined;
  store: SouvenirsStoreOption | undefined;
  keyPrefix: string;
  rateLimitSeconds: number;
  timeZone: string;
  weekStart: number;
  now: () => Date;
  users: UsersOption | undefined;
  metricas: MetricaDefinition[];
  kickBuffer: Required<KickBufferOptions>;
  activity: Required<ActivityOptions>;
  /** `false`: no interceptor. */
  track: Required<TrackOptions> | false;
  usageForPeriods: UsageForPeriodsOverride | undefined;
  /** Absent: no dashboard (its routes, added by `forRootAsync`, answer 404). */
  dashboard: ResolvedDashboardOptions | undefined;
  /** Absent: no endpoint (its route, added by `forRootAsync`, answers 404). */
  prometheus: ResolvedPrometheusOptions | undefined;
}

/**
 * The documented defaults, in one place. A section given by the user (`kickBuffer`,
 * `track`, `dashboard`, `prometheus`) is merged over its defaults key by key; the
 * dashboard and the endpoint exist only when their section is given.
 * @internal
 */
export const SOUVENIRS_DEFAULTS = {
  keyPrefix: 'souvenirs',
  rateLimitSeconds: 3600,
  timeZone: 'UTC',
  weekStart: 1,
  now: (): Date => new Date(),
  kickBuffer: {
    maxCells: 100_000,
    flushIntervalMs: 0,
    trackingFlushIntervalMs: 1000,
    retryForMs: 10_000,
  } satisfies Required<KickBufferOptions>,
  activity: { index: 'auto' } satisfies Required<ActivityOptions>,
  track: {
    mode: 'all',
    userId: (context) => {
      const user = requestUser(context.switchToHttp().getRequest());
      const id = user?.id ?? user?.sub;
      return typeof id === 'string' || typeof id === 'number' ? id : undefined;
    },
    tenant: () => undefined,
    responseTime: true,
    interceptor: SouvenirsInterceptor,
  } satisfies Required<TrackOptions> as Required<TrackOptions>,
  dashboard: { path: DEFAULT_DASHBOARD_PATH },
  prometheus: { path: DEFAULT_PROMETHEUS_PATH, maxSeries: DEFAULT_PROMETHEUS_MAX_SERIES },
} as const;

/**
 * Every slice a consumer injects under `SOUVENIRS_OPTIONS` (or builds from it): the
 * resolved options must be assignable to each, so a slice that drifts fails to compile.
 */
type OptionSlices = ActivitySettings &
  ActiveUsersIndexSettings &
  MetricasSettings &
  ReportsSettings &
  UsersSourceSettings &
  RecorderSettings &
  TrackingSettings &
  TrackedMetricasSettings &
  InterceptorProviderSettings &
  DashboardMountSettings &
  DashboardGuardSettings &
  PrometheusMountSettings &
  PrometheusGuardSettings &
  PrometheusSettings &
  SouvenirsCalendarOptions;

/**
 * Fills every default in options `validateSouvenirsOptions` returned (no `undefined`
 * left in them, so a spread cannot hide a default). Runs once, at boot.
 * @internal
 */
export function resolveSouvenirsOptions(validated: SouvenirsModuleOptions): ResolvedSouvenirsOptions {
  const defaults = SOUVENIRS_DEFAULTS;
  const resolved: ResolvedSouvenirsOptions = {
    redis: validated.redis,
    store: validated.store,
    keyPrefix: validated.keyPrefix ?? defaults.keyPrefix,
    rateLimitSeconds: validated.rateLimitSeconds ?? defaults.rateLimitSeconds,
    timeZone: validated.timeZone ?? defaults.timeZone,
    weekStart: validated.weekStart ?? defaults.weekStart,
    now: validated.now ?? defaults.now,
    users: validated.users,
    metricas: [...(validated.metricas ?? [])],
    kickBuffer: { ...defaults.kickBuffer, ...validated.kickBuffer },
    activity: { ...defaults.activity, ...validated.activity },
    track: validated.track === false ? false : { ...defaults.track, ...validated.track },
    usageForPeriods: validated.usageForPeriods,
    dashboard: validated.dashboard && { ...defaults.dashboard, ...validated.dashboard },
    prometheus: validated.prometheus && { ...defaults.prometheus, ...validated.prometheus },
  };
  return resolved satisfies OptionSlices;
}
