import type { CanActivate, Type } from '@nestjs/common';

/**
 * The Prometheus endpoint: where it is mounted, who may scrape it, and which
 * metricas it exports.
 *
 * @publicApi
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

/** The default URL path of the endpoint. @internal */
export const DEFAULT_PROMETHEUS_PATH = 'metrics';

/** The default `maxSeries`. @internal */
export const DEFAULT_PROMETHEUS_MAX_SERIES = 10_000;
