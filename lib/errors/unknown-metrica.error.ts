import { SouvenirsError } from './souvenirs.error.js';

/**
 * A metrica was asked for by a name that was never defined.
 *
 * @publicApi
 */
export class UnknownMetricaError extends SouvenirsError {
  constructor(
    /** The name asked for. */
    readonly metrica: string,
    /** The names that are defined. */
    readonly known: readonly string[],
  ) {
    super(
      `Unknown metrica ${JSON.stringify(metrica)}: ` +
        (known.length === 0
          ? 'no metrica is defined; define it first (`metricas` option or `registry.define()`).'
          : `defined metricas are ${known.map((name) => JSON.stringify(name)).join(', ')}; define it first or fix the name.`),
    );
  }
}
