/**
 * Injection token of the activity options derived once by the module (`ResolvedActivityOptions`):
 * the activity folder's services inject this, never the whole module options.
 * Its own file, so a service and the options' defaults can both import it without a cycle.
 * @internal
 */
export const SOUVENIRS_ACTIVITY_OPTIONS = Symbol('SOUVENIRS_ACTIVITY_OPTIONS');
