import { resolveClockOptions, type ClockOptions } from '../calendar/clock-options.js';
import type { KickBufferOptions } from './kick/kick-buffer-options.interface.js';
import type { MetricaDefinition } from './definition/metrica-definition.interface.js';

/** The module options the metricas read. @internal */
export interface MetricasOptions extends ClockOptions {
  metricas?: MetricaDefinition[];
  kickBuffer?: KickBufferOptions;
}

/** What `MetricaRegistry` injects (`SOUVENIRS_METRICAS_OPTIONS`): defaults filled in. @internal */
export interface ResolvedMetricasOptions {
  timeZone: string;
  now: () => Date;
  metricas: MetricaDefinition[];
  kickBuffer: Required<KickBufferOptions>;
}

/** The documented defaults of `kickBuffer`. @internal */
export const DEFAULT_KICK_BUFFER_OPTIONS: Required<KickBufferOptions> = {
  maxCells: 100_000,
  flushIntervalMs: 0,
  trackingFlushIntervalMs: 1000,
  retryForMs: 10_000,
};

/** `kickBuffer` with its defaults filled in (also read by tracking for its flush interval). @internal */
export function resolveKickBufferOptions(kickBuffer: KickBufferOptions | undefined): Required<KickBufferOptions> {
  return { ...DEFAULT_KICK_BUFFER_OPTIONS, ...kickBuffer };
}

/** Derives the metricas' options from the validated module options, once, at boot. @internal */
export function resolveMetricasOptions(given: MetricasOptions): ResolvedMetricasOptions {
  return {
    ...resolveClockOptions(given),
    metricas: [...(given.metricas ?? [])],
    kickBuffer: resolveKickBufferOptions(given.kickBuffer),
  };
}
