import { SouvenirsError } from './souvenirs.error.js';

/**
 * A range whose `end` comes before its `start`.
 *
 * @publicApi
 */
export class InvalidRangeError extends SouvenirsError {
  constructor(
    readonly start: Date,
    readonly end: Date,
  ) {
    super(
      `Range end ${end.toISOString()} is before its start ${start.toISOString()}: ` +
        'start is inclusive and end exclusive, so end must be at or after start.',
    );
  }
}
