/** How many items long loops handle between two yields to the event loop. @internal */
export const ITEMS_PER_TURN = 1000;

/**
 * Lets other callbacks (requests, timers) run before a long loop goes on, so an
 * export of many thousands of series never blocks the event loop for long.
 *
 * @internal
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
