import { SouvenirsError } from './souvenirs.error.js';

/**
 * A time zone that is not a known IANA zone name (e.g. `'Europe/Paris'`, `'UTC'`).
 *
 * @publicApi
 */
export class UnknownTimeZoneError extends SouvenirsError {
  constructor(readonly timeZone: string) {
    super(`Unknown time zone ${JSON.stringify(timeZone)}: use an IANA zone name such as 'UTC' or 'America/New_York'.`);
  }
}
