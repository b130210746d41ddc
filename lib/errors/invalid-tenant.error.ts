import { describeValue } from './describe-value.js';
import { SouvenirsError } from './souvenirs.error.js';

/** Which rule a refused tenant broke. */
type InvalidTenantReason = 'not-a-string' | 'empty' | 'too-long' | 'unstorable';

/**
 * A tenant activity cannot be recorded or counted under: not a string, an empty one,
 * one longer than the `tenant` column holds (255 characters: no database silently
 * truncates two tenants into one), or one no database and store keep faithfully (a NUL,
 * which PostgreSQL refuses in text, or a lone surrogate, which UTF-8 turns into U+FFFD).
 * Refused before anything is written. The fix is another tenant id from the caller
 * (an organisation's primary key, not its name); `reason` tells which rule it broke.
 *
 * @publicApi
 */
export class InvalidTenantError extends SouvenirsError {
  /** The refused value. */
  readonly received: unknown;

  constructor(
    received: unknown,
    /** `'not-a-string'`, `'empty'`, `'too-long'` (past `maxLength` characters) or `'unstorable'` (a NUL, a lone surrogate). */
    readonly reason: 'not-a-string' | 'empty' | 'too-long' | 'unstorable',
    /** The most characters a tenant may have. */
    readonly maxLength: number,
  ) {
    super(`Invalid tenant ${describeValue(received)}: ${explain(reason, maxLength)}; use a tenant id of 1 to ${maxLength} whole, printable characters (a primary key).`);
    this.received = received;
  }
}

function explain(reason: InvalidTenantReason, maxLength: number): string {
  switch (reason) {
    case 'not-a-string':
      return 'expected a string (or null/undefined for no tenant)';
    case 'empty':
      return 'it is empty (use null or undefined for no tenant)';
    case 'too-long':
      return `it is longer than ${maxLength} characters`;
    case 'unstorable':
      return 'it holds a NUL character or a lone surrogate, which PostgreSQL, MySQL and Redis cannot store faithfully';
  }
}
