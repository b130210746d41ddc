/**
 * Base class of every error nestjs-souvenirs throws on purpose, so callers can
 * tell our validation failures from anything else with one `instanceof`. An error
 * caused by another (a store's driver error, say) carries it as `cause`.
 *
 * @publicApi
 */
export class SouvenirsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
