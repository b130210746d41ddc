import { describe, expect, it } from '@jest/globals';
import { performance } from 'node:perf_hooks';
import { eventLoopPacer } from '../../../../lib/shared/yield-to-event-loop.js';

/** Busy-waits `ms`: an item of a long loop that costs real time. */
const spin = (ms: number): void => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('eventLoopPacer', () => {
  it('yields once its budget is spent: no turn handles more items than fit in it, plus one clock check', async () => {
    const pace = eventLoopPacer(5);
    // Each item costs at least 0.02 ms, so at most 250 fit in 5 ms (fewer when the machine is busy).
    const mostPerTurn = 5 / 0.02 + 32;
    let itemsThisTurn = 0;
    let mostSeen = 0;
    let yields = 0;
    for (let item = 0; item < 3000; item++) {
      spin(0.02);
      itemsThisTurn++;
      const paced = pace();
      if (paced) {
        mostSeen = Math.max(mostSeen, itemsThisTurn);
        await paced;
        yields++;
        itemsThisTurn = 0;
      }
    }
    // 3,000 items: at least 60 ms of work, so at least eleven turns of about 5 ms.
    expect(yields).toBeGreaterThanOrEqual(3000 / mostPerTurn - 1);
    expect(mostSeen).toBeLessThanOrEqual(mostPerTurn);
  });

  it('goes on at once while the budget lasts', () => {
    const pace = eventLoopPacer(10_000);
    for (let item = 0; item < 10_000; item++) expect(pace()).toBeUndefined();
  });
});
