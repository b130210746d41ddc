import { describeCause } from './describe-cause.js';
import { SouvenirsError } from './souvenirs.error.js';

/**
 * The store (Redis) could not be reached for `operation`: the connection is down or
 * refused, a command timed out, a Cluster is failing over. The driver's error is
 * `cause`. Nothing is wrong with the call itself: it may succeed once the store is
 * back. Kicks meet it only after their writes were retried for
 * `kickBuffer.retryForMs`; reads (metrica values, totals, Prometheus) fail with it
 * at once, and the dashboard's data endpoints and the Prometheus endpoint answer
 * 503 with `Retry-After`. Active-user counts and reports do not: SQL answers them.
 *
 * @publicApi
 */
export class StoreUnavailableError extends SouvenirsError {
  constructor(
    /** What could not be done, e.g. `reading metrica counters`. */
    readonly operation: string,
    cause: unknown,
  ) {
    super(
      `The souvenirs store is unreachable: ${operation} failed (${describeCause(cause)}). ` +
        'Check that Redis is up and reachable; the call may succeed once it is back.',
      { cause },
    );
  }
}
