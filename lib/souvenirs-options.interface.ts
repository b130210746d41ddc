import type { CanActivate, ExecutionContext, Type } from '@nestjs/common';
import type { Cluster, Redis, RedisOptions } from 'ioredis';
import type { MetricaDefinition } from './metricas/metrica-definition.interface.js';
import type { UsageRow } from './reports/usage-row.interface.js';
import type { UsersSource } from './reports/users-source.interface.js';

/** What a user id is when it is stored: numbers are kept in decimal. @publicApi */
export type UserId = string | number;

/** Which routes the interceptor records. @publicApi */
export type TrackMode = 'all' | 'decorated';

/** How the interceptor records requests. @publicApi */
export interface TrackOptions {
  /** `'all'` (default) records every route; `'decorated'` only those with `@Track()`. */
  mode?: TrackMode;
  /** Finds the signed-in user of a request; default `req.user?.id ?? req.user?.sub`. */
  userId?: (context: ExecutionContext) => UserId | null | undefined;
  /** Keep the built-in `response_time` metrica (default `true`). */
  responseTime?: boolean;
}

/** Where registered and activated users are counted from: a TypeORM entity and its property names. @publicApi */
export interface UsersEntityOptions {
  /** The users' entity class. */
  entity: Type<unknown>;
  /** The property holding when the user registered (a date column). */
  joinedAt: string;
  /** The property telling whether the user is activated (a boolean column); absent: all are. */
  isActive?: string;
}

/** The period boundaries a usage report is computed for. @publicApi */
export type Periods = Iterable<readonly [Date, Date]>;

/** The built-in usage function, as handed to an override. @publicApi */
export type UsageForPeriods = (periods: Periods) => Promise<UsageRow[]>;

/** An override of the usage function, wrapping the built-in one (`next`). @publicApi */
export type UsageForPeriodsOverride = (periods: Periods, next: UsageForPeriods) => Promise<UsageRow[]>;

/**
 * How metrica kicks are coalesced before they reach the store: concurrent kicks are
 * merged into one aggregated write per flush.
 *
 * @publicApi
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
}

/** The dashboard's mount point and access control. @publicApi */
export interface DashboardOptions {
  /** URL path of the dashboard (default `souvenirs`). */
  path?: string;
  /** A guard protecting every dashboard route. */
  guard?: Type<CanActivate>;
  /** Set to `true` to serve the dashboard without a guard, knowingly. */
  public?: boolean;
}

/**
 * Options of `SouvenirsModule.forRoot()`; all optional.
 *
 * @publicApi
 */
export interface SouvenirsModuleOptions {
  /** Redis for counters, stored choices and the rate limit: a client, `RedisOptions` or a URL. Absent: in-process memory. */
  redis?: Redis | Cluster | RedisOptions | string;
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
  users?: UsersEntityOptions | Type<UsersSource> | UsersSource;
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
}
