import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { InvalidStoreArgumentError } from '../../../lib/errors/invalid-store-argument.error.js';
import type { ActiveDayMembers } from '../../../lib/store/active-day-members.interface.js';
import type { SouvenirsStore } from '../../../lib/store/souvenirs-store.interface.js';

const LATER = Date.now() + 3_600_000;

/** The members of a reply's days as user ids, through the reply's own numbers. */
function asUsers(reply: ActiveDayMembers, users: readonly string[]): (string[] | null)[] {
  const idOf = new Map<number, string>();
  reply.users.forEach((n, i) => n !== null && idOf.set(n, users[i]));
  return reply.days.map((day) => (day === null ? null : day.toArray().map((n) => idOf.get(n) ?? `#${n}`).sort()));
}

/**
 * `readActiveDays` (the index read back as sets): part of the store contract,
 * run by `describeSouvenirsStoreContract` on every store.
 */
export function describeActiveDayMembersContract(getStore: () => SouvenirsStore): void {
  describe('active days read back as bitsets', () => {
    const fresh = (): string => `UTC/${randomUUID()}`;

    it('numbers users alike in every day of one reply', async () => {
      const store = getStore();
      const [d1, d2, d3] = [fresh(), fresh(), fresh()];
      const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
      await store.addActiveUsers!([
        { day: { id: d1, expireAtMs: LATER }, users: [a, b], complete: true },
        { day: { id: d2, expireAtMs: LATER }, users: [b, c], complete: true },
        { day: { id: d3, expireAtMs: LATER }, users: [], complete: true },
      ]);
      const users = [a, b, c];
      const reply = await store.readActiveDays!([d1, d2, d3], users);
      expect(asUsers(reply, users)).toEqual([[a, b].sort(), [b, c].sort(), []]);
      expect(new Set(reply.users).size).toBe(3);
      expect(reply.days.map((day) => day!.count())).toEqual([2, 2, 0]);
    });

    it('reads days of many users whole: each user in the days it was added to, across 32-bit words', async () => {
      const store = getStore();
      const [d1, d2] = [fresh(), fresh()];
      // 100 users: their numbers span several words, and some share a word with the completeness bit.
      const users = Array.from({ length: 100 }, () => randomUUID());
      const [odd, third] = [users.filter((_, i) => i % 2 === 1), users.filter((_, i) => i % 3 === 0)];
      await store.addActiveUsers!([
        { day: { id: d1, expireAtMs: LATER }, users: odd, complete: true },
        { day: { id: d2, expireAtMs: LATER }, users: third, complete: true },
      ]);
      const reply = await store.readActiveDays!([d1, d2], users);
      expect(asUsers(reply, users)).toEqual([[...odd].sort(), [...third].sort()]);
      expect(reply.days.map((day) => day!.count())).toEqual([odd.length, third.length]);
    });

    it('answers null for a day never built, not complete, or invalidated', async () => {
      const store = getStore();
      const [missing, partial, invalidated, whole] = [fresh(), fresh(), fresh(), fresh()];
      const user = randomUUID();
      await store.addActiveUsers!([
        { day: { id: partial, expireAtMs: LATER }, users: [user] },
        { day: { id: invalidated, expireAtMs: LATER }, users: [user], complete: true },
        { day: { id: whole, expireAtMs: LATER }, users: [user], complete: true },
      ]);
      await store.invalidateActiveDays!([invalidated]);
      const reply = await store.readActiveDays!([missing, partial, invalidated, whole], [user]);
      expect(asUsers(reply, [user])).toEqual([null, null, null, [user]]);
    });

    it('answers null for a user in none of the days asked, or a number outside them', async () => {
      const store = getStore();
      const day = fresh();
      const [inside, stranger] = [randomUUID(), randomUUID()];
      await store.addActiveUsers!([{ day: { id: day, expireAtMs: LATER }, users: [inside], complete: true }]);
      const reply = await store.readActiveDays!([day], [inside, stranger]);
      expect(reply.users[0]).not.toBeNull();
      expect(reply.days[0]!.toArray()).toEqual([reply.users[0]]);
      if (reply.users[1] !== null) expect(reply.days[0]!.has(reply.users[1])).toBe(false);
    });

    it('answers an empty read with empty lists', async () => {
      await expect(getStore().readActiveDays!([], [])).resolves.toEqual({ days: [], users: [] });
    });

    it('refuses days or users that are not strings, writing nothing', async () => {
      const store = getStore();
      await expect(store.readActiveDays!([1 as never], [])).rejects.toThrow(InvalidStoreArgumentError);
      await expect(store.readActiveDays!([], 'u' as never)).rejects.toThrow(InvalidStoreArgumentError);
    });
  });
}
