/**
 * The activity rate-limit window, in one place: once a user's row is written at
 * event time `lastMs`, an event at `whenMs` falls within that row's window, and is
 * rate-limited, while `whenMs < lastMs + limitMs`. So the first event allowed again
 * is at exactly `lastMs + limitMs`, and an event earlier than `lastMs` (a backfill
 * into the past) is within the window too. A limit of 0 (or less) is no limit:
 * nothing is within it.
 *
 * The shared claim of every store, the per-process stand-in of `ActivityService`
 * and the tracking's skip of recent users all apply this rule; the Redis claim
 * scripts hold the same comparison in Lua (they run inside Redis), checked equal
 * by test/integration/store/rate-limit-window.property.spec.ts.
 *
 * Times are epoch milliseconds, on event time (the rows' `when`), not the wall clock.
 *
 * @publicApi
 */
export function withinRateLimit(whenMs: number, lastMs: number, limitMs: number): boolean {
  return limitMs > 0 && whenMs < lastMs + limitMs;
}
