import { describeValue } from './describe-value.js';
import { SouvenirsError } from './souvenirs.error.js';

/**
 * A date argument that cannot be used: not a valid `Date` (an `Invalid Date`, a
 * string, a number…), or a valid one outside the instants every supported database
 * can store and compare (`SUPPORTED_DATES`: MariaDB's `DATETIME`, the narrowest,
 * holds years 1000 to 9999). Either way the fix is another value for that argument;
 * `reason` tells which rule it broke.
 *
 * @publicApi
 */
export class InvalidDateError extends SouvenirsError {
  /** `'not-a-date'`, or `'out-of-range'` for a valid Date outside `min`…`max`. */
  readonly reason: 'not-a-date' | 'out-of-range';
  /** The earliest instant accepted, when the date was out of range. */
  readonly min: Date | undefined;
  /** The latest instant accepted, when the date was out of range. */
  readonly max: Date | undefined;

  constructor(
    /** The argument's name, e.g. `when` or `range.start`. */
    readonly argument: string,
    /** The value given. */
    readonly received: unknown,
    /** The instants accepted, given when `received` is a valid Date outside them. */
    supported?: { readonly min: Date; readonly max: Date },
  ) {
    super(
      supported === undefined
        ? `\`${argument}\` must be a valid Date, received ${describeValue(received)}.`
        : `\`${argument}\` must be from ${supported.min.toISOString()} to ${supported.max.toISOString()}, ` +
            `received ${describeInstant(received as Date)}: ` +
            'pass a date within those years (leave a range bound out for an open range).',
    );
    this.reason = supported === undefined ? 'not-a-date' : 'out-of-range';
    this.min = supported?.min;
    this.max = supported?.max;
  }
}

function describeInstant(date: Date): string {
  // Beyond ±275,760 years toISOString() throws; Dates that far are invalid anyway, but stay safe.
  const ms = date.getTime();
  return Math.abs(ms) <= 8.64e15 ? date.toISOString() : `a Date at ${ms} ms`;
}
