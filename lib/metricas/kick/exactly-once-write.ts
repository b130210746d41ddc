import type { CounterIncrements, SouvenirsStore } from '../../store/souvenirs-store.interface.js';
import { isTransientStoreError } from '../../store/transient-store-error.js';

/** First pause before a failed call is sent again; it doubles up to {@link MAX_RETRY_DELAY_MS}. */
const FIRST_RETRY_DELAY_MS = 50;
const MAX_RETRY_DELAY_MS = 1000;

/**
 * Runs `attempt` until it resolves, sending it again after each transient failure
 * (`isTransientStoreError`: a lost connection, a Cluster failover), backing off
 * from 50 ms to 1 s, until `retryForMs` has passed (the last try at its end): then
 * the last error is thrown, as is at once any error that would fail the same way
 * again. Only for calls that are safe to send twice.
 *
 * The pause timers are not `unref`ed: a shutdown waits (boundedly) for a retry
 * rather than losing the call.
 *
 * @param onRecovered told how many retries a call needed, when it needed any.
 * @internal
 */
export async function retryWhileTransient<T>(attempt: () => Promise<T>, retryForMs: number, onRecovered: (retries: number) => void): Promise<T> {
  const deadline = Date.now() + retryForMs;
  let delay = FIRST_RETRY_DELAY_MS;
  for (let retries = 0; ; retries++) {
    try {
      const result = await attempt();
      if (retries > 0) onRecovered(retries);
      return result;
    } catch (error) {
      if (!isTransientStoreError(error) || Date.now() >= deadline) throw error;
    }
    // The last pause ends at the deadline, so a call is retried for all of `retryForMs`.
    const pause = Math.min(delay, Math.max(0, deadline - Date.now()));
    await new Promise<void>((resolve) => setTimeout(resolve, pause));
    delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
  }
}

/**
 * Writes one batch of increments exactly once: the store records `flushId` with
 * them, so the write may be sent again after any transient failure (a connection
 * lost before Redis applied it, or after, with the reply lost; a Cluster
 * failover) without counting twice ({@link retryWhileTransient}).
 *
 * @internal
 */
export function writeExactlyOnce(
  store: SouvenirsStore,
  increments: CounterIncrements,
  flushId: string,
  retryForMs: number,
  onRecovered: (retries: number) => void,
): Promise<void> {
  return retryWhileTransient(() => store.incrementCounters(increments, flushId), retryForMs, onRecovered);
}
