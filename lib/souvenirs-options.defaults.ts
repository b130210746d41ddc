import type { MetricaDefinition } from './metricas/metrica-definition.interface.js';
import type {
  DashboardOptions,
  KickBufferOptions,
  SouvenirsModuleOptions,
  TrackOptions,
  UsageForPeriodsOverride,
  UsersEntityOptions,
} from './souvenirs-options.interface.js';
import type { Type } from '@nestjs/common';
import type { UsersSource } from './reports/users-source.interface.js';

/**
 * The module options once validated, with every default filled in. Services inject
 * these (token `SOUVENIRS_RESOLVED_OPTIONS`) so no `?? default` is scattered around.
 *
 * @publicApi
 */
export interface ResolvedSouvenirsOptions {
  redis: SouvenirsModuleOptions['redis'];
  keyPrefix: string;
  rateLimitSeconds: number;
  timeZone: string;
  weekStart: number;
  now: () => Date;
  users: SouvenirsModuleOptions['users'];
  metricas: MetricaDefinition[];
  kickBuffer: Required<KickBufferOptions>;
  track: Required<TrackOptions> | false;
  usageForPeriods: UsageForPeriodsOverride | undefined;
  dashboard: DashboardOptions | undefined;
}

/** The documented defaults, in one place. @internal */
export const DEFAULT_OPTIONS = {
  keyPrefix: 'souvenirs',
  rateLimitSeconds: 3600,
  timeZone: 'UTC',
  weekStart: 1,
  now: () => new Date(),
  metricas: [] as MetricaDefinition[],
  kickBuffer: { maxCells: 100_000, flushIntervalMs: 0, trackingFlushIntervalMs: 1000 },
} as const;

/** The default of `track`. @internal */
export const DEFAULT_TRACK_OPTIONS: Required<TrackOptions> = {
  mode: 'all',
  userId: (context) => {
    const user = context.switchToHttp().getRequest<{ user?: { id?: unknown; sub?: unknown } }>()?.user;
    const id = user?.id ?? user?.sub;
    return typeof id === 'string' || typeof id === 'number' ? id : undefined;
  },
  responseTime: true,
};
