import { SouvenirsError } from '../errors/souvenirs.error.js';

/**
 * Redis error replies that say "not now" rather than "never": a Cluster resharding
 * or failing over, a server loading its data or a replica not yet promoted. A retry
 * a moment later may succeed.
 */
const TRANSIENT_REPLIES = /^(CLUSTERDOWN|TRYAGAIN|LOADING|MASTERDOWN|READONLY|MOVED|ASK|BUSY|NOREPLICAS)\b/;

/**
 * Whether a store call that failed with `error` may succeed if sent again: a lost
 * or refused connection, a timeout, a Cluster in a failover. Not a `SouvenirsError`
 * (bad arguments, an unexpected reply), and not a Redis error reply such as
 * WRONGTYPE, which would fail the same way every time.
 *
 * @publicApi
 */
export function isTransientStoreError(error: unknown): boolean {
  if (error instanceof SouvenirsError) return false;
  if (!(error instanceof Error)) return true;
  if (error.name === 'ReplyError') return TRANSIENT_REPLIES.test(error.message);
  return true;
}
