import { SouvenirsError } from './souvenirs.error.js';

/**
 * A kick, filter or query named an axis its metrica does not have.
 *
 * @publicApi
 */
export class UnknownAxisError extends SouvenirsError {
  constructor(
    readonly metrica: string,
    /** The axis name given. */
    readonly axis: string,
    /** The metrica's axes, in order. */
    readonly known: readonly string[],
  ) {
    super(
      `Metrica ${JSON.stringify(metrica)} has no axis ${JSON.stringify(axis)}: ` +
        (known.length === 0
          ? 'it has no axes at all.'
          : `its axes are ${known.map((name) => JSON.stringify(name)).join(', ')}.`),
    );
  }
}
