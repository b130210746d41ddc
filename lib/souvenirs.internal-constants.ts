/**
 * Injection token of the validated options with every default filled in
 * (`ResolvedSouvenirsOptions`): services read this, never the raw user options.
 * @internal
 */
export const SOUVENIRS_RESOLVED_OPTIONS = Symbol('SOUVENIRS_RESOLVED_OPTIONS');
