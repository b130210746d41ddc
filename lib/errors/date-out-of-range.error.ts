import { SouvenirsError } from './souvenirs.error.js';

/**
 * A valid `Date` outside the instants every supported database can store and compare
 * (MariaDB's `DATETIME`, the narrowest, holds years 1000 to 9999).
 *
 * @publicApi
 */
export class DateOutOfRangeError extends SouvenirsError {
  constructor(
    /** The argument's name, e.g. `when` or `range.start`. */
    readonly argument: string,
    readonly received: Date,
    readonly min: Date,
    readonly max: Date,
  ) {
    super(
      `\`${argument}\` must be from ${min.toISOString()} to ${max.toISOString()}, received ${describe(received)}: ` +
        'pass a date within those years (leave a range bound out for an open range).',
    );
  }
}

function describe(date: Date): string {
  // Beyond ±275,760 years toISOString() throws; Dates that far are invalid anyway, but stay safe.
  const ms = date.getTime();
  return Math.abs(ms) <= 8.64e15 ? date.toISOString() : `a Date at ${ms} ms`;
}
