import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { countRunUnions, type DayRun } from '../../../lib/active-users/day-run-unions.js';
import { UserBitset } from '../../../lib/shared/user-bitset.js';

const day = fc.uniqueArray(fc.integer({ min: 1, max: 200 }), { maxLength: 40 });

/** Days, and runs within them (any lengths, overlapping, repeated), some with extra users. */
const scenario = fc.array(day, { minLength: 1, maxLength: 40 }).chain((days) =>
  fc.record({
    days: fc.constant(days),
    runs: fc.array(
      fc
        .tuple(fc.integer({ min: 0, max: days.length }), fc.integer({ min: 0, max: days.length }), fc.array(fc.integer({ min: 1, max: 250 }), { maxLength: 5 }))
        .map(([a, b, extra]): DayRun => ({ from: Math.min(a, b), to: Math.max(a, b), extra })),
      { maxLength: 60 },
    ),
  }),
);

describe('countRunUnions', () => {
  it('counts the users of each run of days and its extra users, as a union of Sets does', () => {
    fc.assert(
      fc.property(scenario, ({ days, runs }) => {
        const model = runs.map(({ from, to, extra }) => new Set([...days.slice(from, to).flat(), ...(extra ?? [])]).size);
        const bitsets = days.map((users) => UserBitset.of(users));
        expect(countRunUnions(bitsets, runs)).toEqual(model);
        // The days read are left as they were (a store's reply may be shared).
        expect(bitsets.map((set) => set.toArray())).toEqual(days.map((users) => [...users].sort((a, b) => a - b)));
      }),
    );
  });

  it('answers a DAU/WAU/MAU series of 90 days (every length, every start)', () => {
    const days = Array.from({ length: 119 }, (_, d) => UserBitset.of([d + 1, (d * 7) % 50 + 1, 500 + (d % 3)]));
    const runs = [1, 7, 30].flatMap((length) => Array.from({ length: 90 }, (_, i) => ({ from: 29 + i - length + 1, to: 30 + i })));
    const model = runs.map(({ from, to }) => new Set(days.slice(from, to).flatMap((set) => set.toArray())).size);
    expect(countRunUnions(days, runs)).toEqual(model);
  });

  it('refuses a run outside the days', () => {
    expect(() => countRunUnions([UserBitset.empty()], [{ from: 0, to: 2 }])).toThrow(RangeError);
  });
});
