import type { PrometheusOptions } from './prometheus-options.interface.js';

/** The module options the Prometheus endpoint reads. @internal */
export interface PrometheusModuleOptions {
  prometheus?: PrometheusOptions;
}

/** What the endpoint's guard, mount and service inject (`SOUVENIRS_PROMETHEUS_OPTIONS`). @internal */
export interface ResolvedPrometheusOptions {
  /** Absent: no endpoint (its route, added by `forRootAsync`, answers 404). */
  prometheus: PrometheusOptions | undefined;
}

/** Derives the endpoint's options from the validated module options, once, at boot. @internal */
export function resolvePrometheusOptions(given: PrometheusModuleOptions): ResolvedPrometheusOptions {
  return { prometheus: given.prometheus };
}
