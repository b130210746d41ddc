/**
 * Injection token of the prometheus options derived once by the module (`ResolvedPrometheusOptions`):
 * the prometheus folder's services inject this, never the whole module options.
 * Its own file, so a service and the options' defaults can both import it without a cycle.
 * @internal
 */
export const SOUVENIRS_PROMETHEUS_OPTIONS = Symbol('SOUVENIRS_PROMETHEUS_OPTIONS');
