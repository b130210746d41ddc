/**
 * Injection token of the analytics options derived once by the module
 * (`ResolvedAnalyticsOptions`). Its own file, as the other features' tokens.
 * @internal
 */
export const SOUVENIRS_ANALYTICS_OPTIONS = Symbol('SOUVENIRS_ANALYTICS_OPTIONS');
