/**
 * How metrica kicks are coalesced before they reach the store: concurrent kicks are
 * merged into one aggregated write per flush.
 *
 * @publicApi
 */
export interface KickBufferOptions {
  /** Most distinct counter cells waiting for a flush; past it, new kicks are dropped, counted and logged (default 100000). */
  maxCells?: number;
  /** How long a flush waits to gather more kicks, in ms (default 0: the next turn of the event loop). */
  flushIntervalMs?: number;
  /**
   * The same for the kicks of request tracking (`response_time`, `@Track`), which no
   * request awaits: a busy server then costs Redis one write per interval, not one
   * per turn of the event loop (default 1000 ms). `MetricaRegistry.flush()` writes them at once.
   */
  trackingFlushIntervalMs?: number;
  /**
   * How long a write whose connection failed (Redis restarting, a network blip, a
   * Cluster failover) is sent again before its kicks are dropped, counted and logged,
   * in ms (default 10000). Retries carry the write's flush id, so a write Redis
   * applied before the connection dropped is not counted twice. 0: no retries.
   */
  retryForMs?: number;
}
