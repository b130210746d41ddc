import { performance } from 'node:perf_hooks';

/** How many items long loops handle between two looks at the clock. @internal */
export const ITEMS_PER_CLOCK_CHECK = 32;

/**
 * Wall time a long loop may run before it yields (ms). Small, because on a busy
 * machine the OS also takes turns inside it: a scrape must keep every block of
 * the event loop under ~20 ms.
 *
 * @internal
 */
export const TURN_BUDGET_MS = 3;

/**
 * Lets other callbacks (requests, timers) run before a long loop goes on, so an
 * export of many thousands of series never blocks the event loop for long.
 *
 * @internal
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A pacer for one long task: call it once per item, and await what it returns
 * when that is a promise (`const turn = pace(); if (turn) await turn;`): an
 * `await` of undefined still allocates and takes a microtask turn, which over the
 * 300,000 items of a 10,000-series scrape was 100 ms of work and dozens of
 * young-generation collections. It yields to the event loop once the task has
 * run {@link TURN_BUDGET_MS} since its last yield, looking at the clock every
 * {@link ITEMS_PER_CLOCK_CHECK} items: by time, not by item count, because items
 * differ in cost (a histogram row is fifteen lines) and a loaded machine
 * stretches each of them.
 *
 * @internal
 * @returns undefined when the loop may go on at once, else a promise of the yield.
 */
export function eventLoopPacer(budgetMs: number = TURN_BUDGET_MS): () => Promise<void> | undefined {
  let turnStart = performance.now();
  let items = 0;
  return () => {
    if (++items % ITEMS_PER_CLOCK_CHECK !== 0 || performance.now() - turnStart < budgetMs) return undefined;
    return yieldToEventLoop().then(() => {
      turnStart = performance.now();
    });
  };
}
