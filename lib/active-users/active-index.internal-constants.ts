/**
 * Injection token of the active-users index's options derived once by the module
 * (`ResolvedActiveIndexOptions`). Its own file, as the other features' tokens.
 * @internal
 */
export const SOUVENIRS_ACTIVE_INDEX_OPTIONS = Symbol('SOUVENIRS_ACTIVE_INDEX_OPTIONS');
