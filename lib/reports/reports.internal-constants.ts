/**
 * Injection token of the reports options derived once by the module (`ResolvedReportsOptions`):
 * the reports folder's services inject this, never the whole module options.
 * Its own file, so a service and the options' defaults can both import it without a cycle.
 * @internal
 */
export const SOUVENIRS_REPORTS_OPTIONS = Symbol('SOUVENIRS_REPORTS_OPTIONS');
