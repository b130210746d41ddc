import type { CounterIncrements, SouvenirsStore } from '../../store/souvenirs-store.interface.js';
import { isTransientStoreError } from '../../store/transient-store-error.js';

/** First pause before a failed write is sent again; it doubles up to {@link MAX_RETRY_DELAY_MS}. */
const FIRST_RETRY_DELAY_MS = 50;
const MAX_RETRY_DELAY_MS = 1000;

/**
 * Writes one batch of increments exactly once: the store records `flushId` with
 * them, so the write may be sent again after any transient failure (a connection
 * lost before Redis applied it, or after, with the reply lost; a Cluster
 * failover) without counting twice. Retries back off from 50 ms to 1 s until
 * `retryForMs` has passed (the last one at its end): the last error is thrown, as
 * is at once any error that would fail the same way again (`isTransientStoreError`).
 *
 * The pause timers are not `unref`ed: a shutdown waits (boundedly) for a retry
 * rather than losing the batch.
 *
 * @param onRecovered told how many retries a write needed, when it needed any.
 * @internal
 */
export async function writeExactlyOnce(
  store: SouvenirsStore,
  increments: CounterIncrements,
  flushId: string,
  retryForMs: number,
  onRecovered: (retries: number) => void,
): Promise<void> {
  const deadline = Date.now() + retryForMs;
  let delay = FIRST_RETRY_DELAY_MS;
  for (let retries = 0; ; retries++) {
    try {
      await store.incrementCounters(increments, flushId);
      if (retries > 0) onRecovered(retries);
      return;
    } catch (error) {
      if (!isTransientStoreError(error) || Date.now() >= deadline) throw error;
    }
    // The last pause ends at the deadline, so a write is retried for all of `retryForMs`.
    const pause = Math.min(delay, Math.max(0, deadline - Date.now()));
    await new Promise<void>((resolve) => setTimeout(resolve, pause));
    delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
  }
}
