/**
 * Injection token of the storage options derived once by the module (`ResolvedStorageOptions`):
 * the storage folder's services inject this, never the whole module options.
 * Its own file, so a service and the options' defaults can both import it without a cycle.
 * @internal
 */
export const SOUVENIRS_STORAGE_OPTIONS = Symbol('SOUVENIRS_STORAGE_OPTIONS');
