import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DaysActiveTally } from '../../../lib/active-users/days-active-tally.js';
import { UserBitset } from '../../../lib/shared/user-bitset.js';

describe('DaysActiveTally', () => {
  it('counts, for each n, the users active on exactly n of the days added, as counting per user does', () => {
    fc.assert(
      fc.property(fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 150 }), { maxLength: 60 }), { maxLength: 40 }), (days) => {
        const perUser = new Map<number, number>();
        for (const users of days) for (const user of users) perUser.set(user, (perUser.get(user) ?? 0) + 1);
        const model = new Array<number>(days.length).fill(0);
        for (const n of perUser.values()) model[n - 1] += 1;
        const tally = new DaysActiveTally(days.length);
        for (const users of days) tally.add(UserBitset.of(users));
        expect(tally.histogram()).toEqual(model);
      }),
    );
  });

  it('counts a user active on every one of 31 days (all count bits set)', () => {
    const tally = new DaysActiveTally(31);
    for (let day = 0; day < 31; day++) tally.add(UserBitset.of(day < 30 ? [7, 40] : [7]));
    expect(tally.histogram()[30]).toBe(1);
    expect(tally.histogram()[29]).toBe(1);
  });
});
