/**
 * Injection token of the metricas options derived once by the module (`ResolvedMetricasOptions`):
 * the metricas folder's services inject this, never the whole module options.
 * Its own file, so a service and the options' defaults can both import it without a cycle.
 * @internal
 */
export const SOUVENIRS_METRICAS_OPTIONS = Symbol('SOUVENIRS_METRICAS_OPTIONS');
