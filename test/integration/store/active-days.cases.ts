import { beforeAll, describe, expect, it } from '@jest/globals';
import { InvalidStoreArgumentError } from '../../../lib/errors/invalid-store-argument.error.js';
import type { ActiveDayRef, ActiveUsersOfDay } from '../../../lib/store/active-days.interface.js';
import type { SouvenirsStore } from '../../../lib/store/souvenirs-store.interface.js';
import { rateLimitSubject } from '../../../lib/store/rate-limit-subject.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1, 12);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The active-users index part of the store contract (`ActiveDaysStore`), run by
 * {@link describeSouvenirsStoreContract} on every store. `fresh` gives names no
 * other test uses.
 */
export function describeActiveDaysCases(storeOf: () => SouvenirsStore, fresh: (label: string) => string): void {
  describe('active-users index', () => {
    let store: SouvenirsStore;
    const day = (expireAtMs = Date.now() + HOUR): ActiveDayRef => ({ id: fresh('day'), expireAtMs });
    const add = (writes: ActiveUsersOfDay[]) => store.addActiveUsers!(writes);
    const count = (days: ActiveDayRef[], users: string[] = []) => store.countActiveUsers!([{ days: days.map((d) => d.id), users }]);

    beforeAll(() => {
      store = storeOf();
    });

    it('names the days it does not hold complete instead of counting them', async () => {
      const [a, b, c] = [day(), day(), day()];
      await add([{ day: a, users: ['u1'], complete: true }, { day: b, users: ['u2'] }]);
      await expect(count([a, b, c])).resolves.toEqual([{ incompleteDays: [b.id, c.id] }]);
    });

    it('counts the distinct users of the union of days and outside users, as sets', async () => {
      const [a, b] = [day(), day()];
      const u = fresh('user');
      await add([
        { day: a, users: [u, 'x', 'y'], complete: true },
        { day: b, users: ['y', 'z'], complete: true },
      ]);
      await expect(count([a])).resolves.toEqual([{ count: 3 }]);
      await expect(count([a, b])).resolves.toEqual([{ count: 4 }]);
      // 'x' is in a day; 'w' and a never-seen user are not: added once each, however often given.
      await expect(count([a, b], ['x', 'w', 'w', fresh('never-seen')])).resolves.toEqual([{ count: 6 }]);
      await expect(count([], ['x', 'w', 'w'])).resolves.toEqual([{ count: 2 }]);
      await expect(count([], [])).resolves.toEqual([{ count: 0 }]);
    });

    it('answers several queries in one call, each on its own', async () => {
      const [a, b] = [day(), day()];
      await add([{ day: a, users: ['p', 'q'], complete: true }, { day: b, users: ['q', 'r', 's'], complete: true }]);
      await expect(
        store.countActiveUsers!([
          { days: [a.id], users: [] },
          { days: [b.id], users: ['p'] },
          { days: [a.id, b.id], users: [] },
        ]),
      ).resolves.toEqual([{ count: 2 }, { count: 4 }, { count: 4 }]);
    });

    it('keeps users added before and after completion, and clears only when told', async () => {
      const a = day();
      await add([{ day: a, users: ['early'] }]);
      await add([{ day: a, users: ['built'], complete: true }]);
      await add([{ day: a, users: ['late'] }]);
      await expect(count([a])).resolves.toEqual([{ count: 3 }]);
      await add([{ day: a, users: ['only'], clear: true }]);
      await expect(count([a])).resolves.toEqual([{ incompleteDays: [a.id] }]);
      await add([{ day: a, users: [], complete: true }]);
      await expect(count([a])).resolves.toEqual([{ count: 1 }]);
    });

    it('an empty complete day counts 0', async () => {
      const a = day();
      await add([{ day: a, users: [], complete: true }]);
      await expect(count([a])).resolves.toEqual([{ count: 0 }]);
    });

    it('invalidation makes a day incomplete; a missing day stays missing', async () => {
      const [a, missing] = [day(), day()];
      await add([{ day: a, users: ['u'], complete: true }]);
      await store.invalidateActiveDays!([a.id, missing.id]);
      await expect(count([a, missing])).resolves.toEqual([{ incompleteDays: [a.id, missing.id] }]);
    });

    it('a granted claim records a pending add, not the user: the add clears it, a stale one names its day once', async () => {
      const [a, b] = [day(), day()];
      const [s1, s2, s3] = [fresh('user'), fresh('user'), fresh('user')];
      await add([{ day: a, users: [], complete: true }]);
      expect(await store.claimRateLimit(s1, T0, HOUR, a)).not.toBeNull();
      expect(await store.claimRateLimit(s1, T0 + 1, HOUR, a)).toBeNull();
      expect(await store.claimRateLimit(s2, T0, HOUR, a)).not.toBeNull();
      expect(await store.claimRateLimit(s3, T0, HOUR, b)).not.toBeNull();
      // The rows are not committed: the day holds nobody.
      await expect(count([a])).resolves.toEqual([{ count: 0 }]);
      // s1's row commits and is added: its pending add is cleared; s2's and s3's writers "died".
      await add([{ day: a, users: [s1] }]);
      await expect(store.takeStalePendingDays!(Date.now() - HOUR)).resolves.toEqual([]); // none that old
      const stale = await store.takeStalePendingDays!(Date.now() + 1);
      // Other tests share the store: only this test's days are checked.
      expect(stale.filter((id) => id === a.id || id === b.id).sort()).toEqual([a.id, b.id].sort());
      await expect(store.takeStalePendingDays!(Date.now() + 1)).resolves.not.toContain(a.id); // taken once
      await add([{ day: b, users: [s3] }]);
      expect(await store.claimRateLimit(fresh('user'), T0, HOUR, a)).not.toBeNull();
      await add([{ day: a, users: [] }]);
      await expect(count([a])).resolves.toEqual([{ count: 1 }]);
      await expect(store.takeStalePendingDays!(-1)).rejects.toThrow(InvalidStoreArgumentError);
    });

    it("a claim per user and tenant records its user's pending add, which the user's add clears", async () => {
      const a = day();
      const user = fresh('user');
      await add([{ day: a, users: [], complete: true }]);
      // One window per (user, tenant): the user's two tenants are two claims.
      expect(await store.claimRateLimit(rateLimitSubject(user, 'acme'), T0, HOUR, a)).not.toBeNull();
      expect(await store.claimRateLimit(rateLimitSubject(user, 'globex'), T0, HOUR, a)).not.toBeNull();
      expect(await store.claimRateLimit(rateLimitSubject(user, 'acme'), T0 + 1, HOUR, a)).toBeNull();
      // Both rows commit; the index adds the user (not the subject) to the day: nothing is left pending.
      await add([{ day: a, users: [user] }]);
      expect((await store.takeStalePendingDays!(Date.now() + 1)).filter((id) => id === a.id)).toEqual([]);
      await expect(count([a])).resolves.toEqual([{ count: 1 }]);
    });

    it('drops a day, completeness included, at its expiry', async () => {
      const a = day(Date.now() + 150);
      await add([{ day: a, users: ['u'], complete: true }]);
      await expect(count([a])).resolves.toEqual([{ count: 1 }]);
      await sleep(300);
      await expect(count([a])).resolves.toEqual([{ incompleteDays: [a.id] }]);
    });

    it('a build replaces the day: the users it was given and those added while it ran, not what the day held', async () => {
      const a = day();
      await add([{ day: a, users: ['stale', 'kept'], complete: true }]);
      const [build] = await store.beginActiveDayBuilds!([a]);
      // Begun again while under way: the same build (as fresh for a later SQL read).
      await expect(store.beginActiveDayBuilds!([a])).resolves.toEqual([build]);
      await add([{ day: a, users: ['committed-meanwhile'] }]);
      // The day stays as it was until the swap.
      await expect(count([a])).resolves.toEqual([{ count: 3 }]);
      await expect(store.writeActiveDayBuilds!([{ day: a, build, users: ['kept'] }])).resolves.toEqual([true]);
      await expect(store.writeActiveDayBuilds!([{ day: a, build, users: ['from-sql'], finish: true }])).resolves.toEqual([true]);
      await expect(count([a], ['stale'])).resolves.toEqual([{ count: 4 }]); // kept, from-sql, committed-meanwhile, + stale from outside
      await expect(count([a])).resolves.toEqual([{ count: 3 }]);
      // Swapped in: the build is gone, a second finish writes nothing.
      await expect(store.writeActiveDayBuilds!([{ day: a, build, users: ['late'], finish: true }])).resolves.toEqual([false]);
      await expect(count([a])).resolves.toEqual([{ count: 3 }]);
    });

    it('a build dropped by an invalidation (or a wrong id) is not swapped in, and writes nothing', async () => {
      const [a, b] = [day(), day()];
      const [buildA, buildB] = await store.beginActiveDayBuilds!([a, b]);
      expect(buildA).not.toEqual(buildB);
      await store.invalidateActiveDays!([a.id]);
      await expect(
        store.writeActiveDayBuilds!([
          { day: a, build: buildA, users: ['u'], finish: true },
          { day: b, build: `${buildB}-not-it`, users: ['u'], finish: true },
          { day: b, build: buildB, users: ['v', 'w'], finish: true },
        ]),
      ).resolves.toEqual([false, false, true]);
      await expect(count([a])).resolves.toEqual([{ incompleteDays: [a.id] }]);
      await expect(count([b])).resolves.toEqual([{ count: 2 }]);
      // A new build after the invalidation is a fresh one.
      const [again] = await store.beginActiveDayBuilds!([a]);
      expect(again).not.toEqual(buildA);
      await expect(store.writeActiveDayBuilds!([{ day: a, build: again, users: [], finish: true }])).resolves.toEqual([true]);
      await expect(count([a])).resolves.toEqual([{ count: 0 }]);
    });

    it('refuses bad build arguments before writing anything', async () => {
      const a = day();
      await expect(store.beginActiveDayBuilds!([{ id: 3 } as unknown as ActiveDayRef])).rejects.toThrow(InvalidStoreArgumentError);
      const [build] = await store.beginActiveDayBuilds!([a]);
      await expect(store.writeActiveDayBuilds!([{ day: a, build, users: ['u'], finish: 'yes' as unknown as boolean }])).rejects.toThrow(
        InvalidStoreArgumentError,
      );
      await expect(store.writeActiveDayBuilds!([{ day: a, build: 5 as unknown as string, users: [] }])).rejects.toThrow(InvalidStoreArgumentError);
      await expect(count([a])).resolves.toEqual([{ incompleteDays: [a.id] }]);
    });

    it('refuses bad arguments before writing anything', async () => {
      const a = day();
      await expect(add([{ day: a, users: ['u'], complete: true }, { day: { id: 'x', expireAtMs: 1.5 }, users: [] }])).rejects.toThrow(
        InvalidStoreArgumentError,
      );
      await expect(add([{ day: a, users: [7 as unknown as string] }])).rejects.toThrow(InvalidStoreArgumentError);
      await expect(store.countActiveUsers!([{ days: [a.id], users: 'u' as unknown as string[] }])).rejects.toThrow(
        InvalidStoreArgumentError,
      );
      await expect(store.claimRateLimit(fresh('user'), T0, HOUR, { id: 3 } as unknown as ActiveDayRef)).rejects.toThrow(
        InvalidStoreArgumentError,
      );
      await expect(count([a])).resolves.toEqual([{ incompleteDays: [a.id] }]);
    });
  });
}
