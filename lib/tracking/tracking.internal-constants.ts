/**
 * Injection token of the tracking options derived once by the module (`ResolvedTrackingOptions`):
 * the tracking folder's services inject this, never the whole module options.
 * Its own file, so a service and the options' defaults can both import it without a cycle.
 * @internal
 */
export const SOUVENIRS_TRACKING_OPTIONS = Symbol('SOUVENIRS_TRACKING_OPTIONS');
