/**
 * Base class of every error nestjs-souvenirs throws on purpose, so callers can
 * tell our validation failures from anything else with one `instanceof`.
 *
 * @publicApi
 */
export class SouvenirsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
