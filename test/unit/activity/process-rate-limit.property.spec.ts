import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ProcessRateLimit } from '../../../lib/activity/process-rate-limit.js';

const LIMIT = 1_000;

/** One call: claim (and maybe release) a user's window at an event time, at a wall-clock time. */
const call = fc.record({
  user: fc.constantFrom('a', 'b', 'c'),
  // Multiples of 100 ms, so calls land exactly on window edges often.
  whenMs: fc.integer({ min: 0, max: 50 }).map((n) => n * 100),
  advanceMs: fc.integer({ min: 0, max: 7 }).map((n) => n * 100),
  writeFails: fc.boolean(),
});

describe('ProcessRateLimit', () => {
  it('grants exactly what the brute-force model of the shared claim grants', () => {
    fc.assert(
      fc.property(fc.array(call, { maxLength: 60 }), (calls) => {
        const limit = new ProcessRateLimit();
        // Model: every written `when` per user with the wall-clock time it was written at.
        const written = new Map<string, { whenMs: number; at: number }[]>();
        let now = 0;
        for (const { user, whenMs, advanceMs, writeFails } of calls) {
          now += advanceMs;
          const history = written.get(user) ?? [];
          const last = history.at(-1);
          // The last write still counts while its window is open by the wall clock.
          const live = last !== undefined && now < last.at + LIMIT;
          const refused = live && whenMs < last.whenMs + LIMIT;
          const claim = limit.claim(user, whenMs, LIMIT, now);
          expect(claim === null).toBe(refused);
          if (claim === null) continue;
          if (writeFails) {
            limit.release(claim, LIMIT, now);
            // The previous live write holds its window again, from now; an expired one stays forgotten.
            written.set(user, live ? [{ whenMs: last.whenMs, at: now }] : []);
            continue;
          } else {
            history.push({ whenMs, at: now });
          }
          written.set(user, history);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never holds more users than its bound, dropping the oldest first', () => {
    const limit = new ProcessRateLimit(100);
    for (let i = 0; i < 1_000; i += 1) limit.claim(`user-${i}`, 0, LIMIT, 0);
    expect(limit.size).toBe(100);
    expect(limit.claim('user-999', 0, LIMIT, 0)).toBeNull();
    expect(limit.claim('user-0', 0, LIMIT, 0)).not.toBeNull();
  });

  it('refuses a user whose window it wrote, and forgets it once the window is over', () => {
    const limit = new ProcessRateLimit();
    expect(limit.claim('u', 5_000, LIMIT, 0)).not.toBeNull();
    expect(limit.refuses('u', 5_999, 10)).toBe(true);
    expect(limit.refuses('u', 6_000, 10)).toBe(false);
    expect(limit.refuses('u', 5_500, LIMIT)).toBe(false);
    expect(limit.size).toBe(0);
  });
});
