/**
 * Injection token of the module options once validated and resolved, every default
 * filled in (`ResolvedSouvenirsOptions`, built once by the module). It sits at the bottom
 * of the house so any feature can inject it without importing the root: each consumer
 * declares, next to its constructor, the slice of the options it reads.
 * @internal
 */
export const SOUVENIRS_OPTIONS = Symbol.for('nestjs-souvenirs:SOUVENIRS_OPTIONS');
