/**
 * Injection token of the module options once validated (`validateSouvenirsOptions`),
 * defaults not yet filled in. Only the module's wiring reads it, to derive each
 * feature's options once (see `SouvenirsModule`); services inject their feature's token.
 * @internal
 */
export const SOUVENIRS_VALIDATED_OPTIONS = Symbol('SOUVENIRS_VALIDATED_OPTIONS');
