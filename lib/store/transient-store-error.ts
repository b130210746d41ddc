import { SouvenirsError } from '../errors/souvenirs.error.js';
import { StoreUnavailableError } from '../errors/store-unavailable.error.js';

/**
 * Redis error replies that say "not now" rather than "never": a Cluster resharding
 * or failing over, a server loading its data or a replica not yet promoted. A retry
 * a moment later may succeed.
 */
const TRANSIENT_REPLIES = /^(CLUSTERDOWN|TRYAGAIN|LOADING|MASTERDOWN|READONLY|MOVED|ASK|BUSY|NOREPLICAS)\b/;

/**
 * Whether a store call that failed with `error` may succeed if sent again: a lost
 * or refused connection, a timeout, a Cluster in a failover (or a
 * `StoreUnavailableError` saying so). Not another `SouvenirsError` (bad arguments,
 * an unexpected reply, a refusal), and not a Redis error reply such as WRONGTYPE
 * or OOM, which would fail the same way every time.
 *
 * @publicApi
 */
export function isTransientStoreError(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  if (error instanceof SouvenirsError) return false;
  if (!(error instanceof Error)) return true;
  if (error.name === 'ReplyError') return TRANSIENT_REPLIES.test(error.message);
  return true;
}
