/**
 * Injection token of the dashboard options derived once by the module (`ResolvedDashboardOptions`):
 * the dashboard folder's services inject this, never the whole module options.
 * Its own file, so a service and the options' defaults can both import it without a cycle.
 * @internal
 */
export const SOUVENIRS_DASHBOARD_OPTIONS = Symbol('SOUVENIRS_DASHBOARD_OPTIONS');
