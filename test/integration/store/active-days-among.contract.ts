import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { InvalidStoreArgumentError } from '../../../lib/errors/invalid-store-argument.error.js';
import type { ActiveDayRef } from '../../../lib/store/active-days.interface.js';
import type { SouvenirsStore } from '../../../lib/store/souvenirs-store.interface.js';

const LATER = Date.now() + 3_600_000;
/** How a day of the property is left: complete, written but never marked, never written, or invalidated after. */
const DAY_STATES = ['complete', 'unmarked', 'missing', 'invalidated'] as const;

/**
 * A subset intersected with the index in the store (`readActiveDaysAmong`): part of the
 * store contract, run by `describeSouvenirsStoreContract` on every store that keeps the index.
 */
export function describeActiveDaysAmongContract(getStore: () => SouvenirsStore): void {
  describe('subsets of the index', () => {
    const day = (): ActiveDayRef => ({ id: `UTC/${randomUUID()}`, expireAtMs: LATER });

    it('answers per union the positions of the users active on one of its days, or null when one of its days is not complete', async () => {
      const store = getStore();
      // 300 users numbered first: the property's users get numbers past 255, so their days'
      // bitmaps are long ones (Redis ORs those 32 bytes at a step), empty days short ones.
      await store.addActiveUsers!([{ day: day(), users: Array.from({ length: 300 }, () => randomUUID()) }]);
      const state = fc.oneof({ arbitrary: fc.constant(DAY_STATES[0]), weight: 5 }, fc.constantFrom(...DAY_STATES.slice(1)));
      const dayCase = fc.record({ state, users: fc.subarray([0, 1, 2, 3, 4, 5]) });
      await fc.assert(
        fc.asyncProperty(
          fc.array(dayCase, { minLength: 1, maxLength: 5 }),
          fc.array(fc.array(fc.nat(), { maxLength: 6 }), { maxLength: 4 }),
          // The subset: users of the days, users in none of them (never numbered), repeats.
          fc.array(fc.nat({ max: 7 }), { maxLength: 10 }),
          async (cases, picks, asked) => {
            const users = Array.from({ length: 8 }, () => randomUUID());
            const refs = cases.map(() => day());
            for (const [d, { state, users: held }] of cases.entries()) {
              if (state !== 'missing') await store.addActiveUsers!([{ day: refs[d], users: held.map((u) => users[u]), complete: state !== 'unmarked' }]);
              if (state === 'invalidated') await store.invalidateActiveDays!([refs[d].id]);
            }
            const unions = picks.map((pick) => pick.map((at) => refs[at % refs.length].id));
            const subset = asked.map((u) => users[u]);
            const reply = await store.readActiveDaysAmong!(unions, subset);
            const caseOf = (id: string) => cases[refs.findIndex((ref) => ref.id === id)];
            expect(reply.members).toEqual(
              unions.map((days) =>
                days.every((id) => caseOf(id).state === 'complete')
                  ? asked.flatMap((u, at) => (days.some((id) => caseOf(id).users.includes(u)) ? [at] : []))
                  : null,
              ),
            );
            expect([...reply.incompleteDays].sort()).toEqual([...new Set(unions.flat().filter((id) => caseOf(id).state !== 'complete'))].sort());
          },
        ),
        { numRuns: 30 },
      );
    });

    it('answers a subset of 100,000 users, split or not, exactly: each active user once, in order', async () => {
      const store = getStore();
      const users = Array.from({ length: 100_000 }, (_, i) => `among-${randomUUID().slice(0, 8)}-${i}`);
      const [a, b] = [day(), day()];
      // A: the first 60,000; B: every third user from 40,000 on. Users past 90,000 are in no day at all.
      await store.addActiveUsers!([{ day: a, users: users.slice(0, 60_000), complete: true }]);
      await store.addActiveUsers!([{ day: b, users: users.slice(40_000, 90_000).filter((_, i) => i % 3 === 0), complete: true }]);
      const reply = await store.readActiveDaysAmong!([[a.id, b.id], [b.id], []], users);
      const inB = (i: number) => i >= 40_000 && i < 90_000 && (i - 40_000) % 3 === 0;
      const expected = users.flatMap((_, i) => (i < 60_000 || inB(i) ? [i] : []));
      expect(reply.members[0]).toEqual(expected);
      expect(reply.members[1]).toEqual(users.flatMap((_, i) => (inB(i) ? [i] : [])));
      expect(reply.members[2]).toEqual([]);
      expect(reply.incompleteDays).toEqual([]);
    });

    it('counts no user for the empty id, and none at all while the days are missing', async () => {
      const store = getStore();
      const ref = day();
      const user = randomUUID();
      expect(await store.readActiveDaysAmong!([[ref.id]], ['', user])).toEqual({ members: [null], incompleteDays: [ref.id] });
      await store.addActiveUsers!([{ day: ref, users: [user], complete: true }]);
      expect(await store.readActiveDaysAmong!([[ref.id], [ref.id, ref.id]], ['', user, ''])).toEqual({ members: [[1], [1]], incompleteDays: [] });
    });

    it('refuses unions that are not arrays of day ids, or users that are not an array of ids', async () => {
      const store = getStore();
      await expect(store.readActiveDaysAmong!('x' as never, [])).rejects.toThrow(InvalidStoreArgumentError);
      await expect(store.readActiveDaysAmong!([['UTC/x'], 'UTC/y' as never], [])).rejects.toThrow(InvalidStoreArgumentError);
      await expect(store.readActiveDaysAmong!([[7 as never]], [])).rejects.toThrow(InvalidStoreArgumentError);
      await expect(store.readActiveDaysAmong!([], 'u' as never)).rejects.toThrow(InvalidStoreArgumentError);
      await expect(store.readActiveDaysAmong!([], ['u', null as never])).rejects.toThrow(InvalidStoreArgumentError);
    });
  });
}
