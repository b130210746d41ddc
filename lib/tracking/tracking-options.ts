import { resolveActivityOptions, type ActivityOptions } from '../activity/activity-options.js';
import { resolveKickBufferOptions } from '../metricas/metricas-options.js';
import type { KickBufferOptions } from '../metricas/kick/kick-buffer-options.interface.js';
import { requestUser } from './request-user.js';
import { SouvenirsInterceptor } from './souvenirs.interceptor.js';
import type { TrackOptions } from './track-options.interface.js';

/** The module options request tracking reads. @internal */
export interface TrackingOptions extends ActivityOptions {
  track?: TrackOptions | false;
  kickBuffer?: KickBufferOptions;
}

/** What the interceptor, its recorder and checks inject (`SOUVENIRS_TRACKING_OPTIONS`): defaults filled in. @internal */
export interface ResolvedTrackingOptions {
  /** `false`: no interceptor. */
  track: Required<TrackOptions> | false;
  /** Activity's rate limit, which the recorder applies before it reaches the service. */
  rateLimitSeconds: number;
  now: () => Date;
  /** `kickBuffer.trackingFlushIntervalMs`. */
  trackingFlushIntervalMs: number;
}

/** The default of `track`. @internal */
export const DEFAULT_TRACK_OPTIONS: Required<TrackOptions> = {
  mode: 'all',
  userId: (context) => {
    const user = requestUser(context.switchToHttp().getRequest());
    const id = user?.id ?? user?.sub;
    return typeof id === 'string' || typeof id === 'number' ? id : undefined;
  },
  responseTime: true,
  interceptor: SouvenirsInterceptor,
};

/** `track` with its defaults filled in. @internal */
export function resolveTrackOptions(track: TrackOptions | false | undefined): Required<TrackOptions> | false {
  return track === false ? false : { ...DEFAULT_TRACK_OPTIONS, ...track };
}

/** Derives request tracking's options from the validated module options, once, at boot. @internal */
export function resolveTrackingOptions(given: TrackingOptions): ResolvedTrackingOptions {
  const { rateLimitSeconds, now } = resolveActivityOptions(given);
  return {
    track: resolveTrackOptions(given.track),
    rateLimitSeconds,
    now,
    trackingFlushIntervalMs: resolveKickBufferOptions(given.kickBuffer).trackingFlushIntervalMs,
  };
}
