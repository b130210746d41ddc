import { SouvenirsError } from './souvenirs.error.js';

/**
 * A `@Track()` names a metrica that is not defined, or an axis its metrica does not
 * have. Thrown at application bootstrap, once every route and every metrica defined
 * in the `metricas` option or in an `onModuleInit` is known, so the mistake stops the
 * boot instead of being logged on every request.
 *
 * @publicApi
 */
export class InvalidTrackDecoratorError extends SouvenirsError {
  constructor(
    /** The route, as `Controller.handler`. */
    readonly route: string,
    /** What is wrong and what to change. */
    readonly problem: string,
  ) {
    super(`@Track() on ${route}: ${problem}`);
  }
}
