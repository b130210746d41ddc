import { describeCause } from './describe-cause.js';
import { SouvenirsError } from './souvenirs.error.js';

/** Redis' error replies that name a setting to fix, and what to do about each. */
const ADVICE: ReadonlyArray<[RegExp, string]> = [
  [/^OOM\b/, 'Redis is out of memory (`maxmemory`): raise `maxmemory` or free memory, then run the call again (docs/operations.md).'],
  [/^NOPERM\b/, 'the Redis user lacks a permission the store needs: grant it (docs/operations.md).'],
  [/^MISCONF\b/, 'Redis refuses writes because it cannot persist (see its log): fix persistence, or its `stop-writes-on-bgsave-error`.'],
];

/**
 * The store was reachable but refused `operation` with an error reply that a retry
 * would get again (Redis out of memory, a missing permission, a key of the wrong
 * type): the driver's error is `cause`. Not retried.
 *
 * @publicApi
 */
export class StoreRefusedError extends SouvenirsError {
  constructor(
    /** What was refused, e.g. `writing the active-users index`. */
    readonly operation: string,
    cause: unknown,
  ) {
    const reply = cause instanceof Error ? cause.message : String(cause);
    const advice = ADVICE.find(([pattern]) => pattern.test(reply))?.[1] ?? 'make sure no other program writes under the souvenirs key prefix (option `keyPrefix`).';
    super(`The souvenirs store refused ${operation} (${describeCause(cause)}): ${advice}`, { cause });
  }
}
