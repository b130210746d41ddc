import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { InvalidStoreArgumentError } from '../../../lib/errors/invalid-store-argument.error.js';
import type { ActiveDayMembers } from '../../../lib/store/active-day-members.interface.js';
import type { ActiveDayRef } from '../../../lib/store/active-days.interface.js';
import type { SouvenirsStore } from '../../../lib/store/souvenirs-store.interface.js';

const LATER = Date.now() + 3_600_000;
/** Day numbers (days since 1970-01-01) of a few days of March 2024. */
const MAR = (day: number): number => 19_782 + day; // 19_783 is 2024-03-01

/** The users first active in a reply's window, as ids, through the reply's own numbers. */
function firstActiveUsers(reply: ActiveDayMembers, users: readonly string[]): string[] | null | undefined {
  if (!reply.firstActive) return reply.firstActive;
  const idOf = new Map<number, string>();
  reply.users.forEach((n, i) => n !== null && idOf.set(n, users[i]));
  return reply.firstActive.toArray().map((n) => idOf.get(n) ?? `#${n}`).sort();
}

/**
 * First activity (`addFirstActivity`, `invalidateFirstActivity`, the `first`
 * window of `readActiveDays`, `firstActivity` on day refs): part of the store
 * contract for stores that keep it, run by `describeSouvenirsStoreContract`.
 * Each test has a calendar of its own, so the store may be shared.
 */
export function describeFirstActivityContract(getStore: () => SouvenirsStore): void {
  describe('first activity', () => {
    const fresh = (): string => `UTC-${randomUUID()}`;
    /** A complete day of `calendar` numbered `day`, holding `users`. */
    const dayRef = (calendar: string, day: number): ActiveDayRef => ({ id: `${calendar}/${day}`, expireAtMs: LATER, firstActivity: { calendar, day } });

    /** Reads the days `from` to `to` of `calendar` with its first-activity window, users numbered. */
    async function read(calendar: string, from: number, to: number, users: readonly string[]): Promise<ActiveDayMembers> {
      const ids = Array.from({ length: to - from + 1 }, (_, i) => `${calendar}/${from + i}`);
      return getStore().readActiveDays!(ids, users, { calendar, fromDay: from, toDay: to });
    }

    it('is null until built complete; then the users first active in the window, in the days\' numbering', async () => {
      const store = getStore();
      const calendar = fresh();
      const [before, inside, later] = [randomUUID(), randomUUID(), randomUUID()];
      const users = [before, inside, later];
      await store.addActiveUsers!([
        { day: dayRef(calendar, MAR(2)), users: [before, inside], complete: true },
        { day: dayRef(calendar, MAR(3)), users: [inside, later], complete: true },
      ]);
      expect((await read(calendar, MAR(2), MAR(3), users)).firstActive).toBeNull();
      await store.addFirstActivity!({ calendar, users: [[before, MAR(1)], [inside, MAR(2)]] });
      expect((await read(calendar, MAR(2), MAR(3), users)).firstActive).toBeNull();
      await store.addFirstActivity!({ calendar, users: [[later, MAR(3)]], complete: true });
      const reply = await read(calendar, MAR(2), MAR(3), users);
      expect(firstActiveUsers(reply, users)).toEqual([inside, later].sort());
      for (const n of reply.firstActive!.toArray()) expect(reply.days.some((day) => day?.has(n))).toBe(true);
      expect(firstActiveUsers(await read(calendar, MAR(3), MAR(3), users), users)).toEqual([later]);
    });

    it('is lowered, never raised, by index writes whose day carries first activity; never by a claim (its row is not committed)', async () => {
      const store = getStore();
      const calendar = fresh();
      const [built, claimed, written] = [randomUUID(), randomUUID(), randomUUID()];
      const users = [built, claimed, written];
      await store.addFirstActivity!({ calendar, users: [[built, MAR(5)]], complete: true });
      await store.claimRateLimit(claimed, Date.UTC(2024, 2, 2), 1_000, dayRef(calendar, MAR(2)));
      await store.claimRateLimit(claimed, Date.UTC(2024, 2, 4), 1_000, dayRef(calendar, MAR(4)));
      await store.addActiveUsers!([{ day: dayRef(calendar, MAR(4)), users: [claimed] }, { day: dayRef(calendar, MAR(9)), users: [claimed] }]);
      await store.addActiveUsers!([
        { day: dayRef(calendar, MAR(8)), users: [written, built] },
        { day: dayRef(calendar, MAR(3)), users: [built] },
        { day: dayRef(calendar, MAR(7)), users: [written] },
      ]);
      const allDays = async (from: number, to: number) => firstActiveUsers(await read(calendar, from, to, users), users);
      expect(await allDays(MAR(1), MAR(2))).toEqual([]);
      expect(await allDays(MAR(3), MAR(3))).toEqual([built]);
      expect(await allDays(MAR(4), MAR(4))).toEqual([claimed]);
      expect(await allDays(MAR(5), MAR(6))).toEqual([]);
      expect(await allDays(MAR(7), MAR(9))).toEqual([written]);
    });

    it('a build replaces what it writes, keeps the users it does not name; clear forgets them all', async () => {
      const store = getStore();
      const calendar = fresh();
      const [named, unnamed] = [randomUUID(), randomUUID()];
      const users = [named, unnamed];
      await store.addActiveUsers!([{ day: dayRef(calendar, MAR(1)), users: [named, unnamed] }]);
      await store.addFirstActivity!({ calendar, users: [[named, MAR(6)]], complete: true });
      expect(firstActiveUsers(await read(calendar, MAR(1), MAR(1), users), users)).toEqual([unnamed]);
      expect(firstActiveUsers(await read(calendar, MAR(6), MAR(6), users), users)).toEqual([named]);
      await store.addFirstActivity!({ calendar, users: [], clear: true });
      expect((await read(calendar, MAR(1), MAR(6), users)).firstActive).toBeNull();
      await store.addFirstActivity!({ calendar, users: [[named, MAR(6)]], complete: true });
      expect(firstActiveUsers(await read(calendar, MAR(1), MAR(6), users), users)).toEqual([named]);
    });

    it('a build replaces first activity: SQL\'s days lowered by the rows added while it ran, not what was held', async () => {
      const store = getStore();
      const calendar = fresh();
      const [gone, sql, moved, meanwhile] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      const users = [gone, sql, moved, meanwhile];
      await store.addFirstActivity!({ calendar, users: [[gone, MAR(2)], [moved, MAR(2)]], complete: true });
      const build = await store.beginFirstActivityBuild!(calendar);
      await expect(store.beginFirstActivityBuild!(calendar)).resolves.toBe(build);
      // Rows committed while the build runs lower it too (moved: an earlier row than SQL read).
      await store.addActiveUsers!([{ day: dayRef(calendar, MAR(1)), users: [moved] }, { day: dayRef(calendar, MAR(4)), users: [meanwhile] }]);
      await expect(store.writeFirstActivityBuild!({ calendar, build, users: [[sql, MAR(3)], [moved, MAR(5)]] })).resolves.toBe(true);
      await expect(store.writeFirstActivityBuild!({ calendar, build, users: [], finish: true })).resolves.toBe(true);
      const on = async (day: number) => firstActiveUsers(await read(calendar, day, day, users), users);
      expect([await on(MAR(1)), await on(MAR(2)), await on(MAR(3)), await on(MAR(4)), await on(MAR(5))]).toEqual([
        [moved],
        [],
        [sql],
        [meanwhile],
        [],
      ]);
      await expect(store.writeFirstActivityBuild!({ calendar, build, users: [[gone, MAR(2)]], finish: true })).resolves.toBe(false);
    });

    it('a build dropped by an invalidation is not swapped in', async () => {
      const store = getStore();
      const calendar = fresh();
      const build = await store.beginFirstActivityBuild!(calendar);
      await store.invalidateFirstActivity!(calendar);
      await expect(store.writeFirstActivityBuild!({ calendar, build, users: [[randomUUID(), MAR(2)]], finish: true })).resolves.toBe(false);
      expect((await read(calendar, MAR(2), MAR(2), [])).firstActive).toBeNull();
      await expect(store.writeFirstActivityBuild!({ calendar, build: 7 as unknown as string, users: [] })).rejects.toThrow(InvalidStoreArgumentError);
    });

    it('is null again once invalidated, and other calendars are untouched', async () => {
      const store = getStore();
      const [calendar, other] = [fresh(), fresh()];
      const user = randomUUID();
      for (const c of [calendar, other]) await store.addFirstActivity!({ calendar: c, users: [[user, MAR(2)]], complete: true });
      await store.invalidateFirstActivity!(calendar);
      expect((await read(calendar, MAR(2), MAR(2), [user])).firstActive).toBeNull();
      expect((await read(other, MAR(2), MAR(2), [user])).firstActive?.count()).toBe(1);
    });

    it('is absent from a read that does not ask for it', async () => {
      const store = getStore();
      const calendar = fresh();
      await store.addFirstActivity!({ calendar, users: [[randomUUID(), MAR(2)]], complete: true });
      expect(await store.readActiveDays!([], [])).not.toHaveProperty('firstActive');
    });

    it('refuses malformed writes, windows and day refs, writing nothing', async () => {
      const store = getStore();
      const calendar = fresh();
      const bad: unknown[] = [
        { calendar: 1, users: [] },
        { calendar, users: [['u', 1.5]] },
        { calendar, users: [['u', 2 ** 30]] },
        { calendar, users: ['u'] },
        { calendar, users: [], complete: 'yes' },
      ];
      for (const write of bad) await expect(store.addFirstActivity!(write as never)).rejects.toThrow(InvalidStoreArgumentError);
      await expect(store.invalidateFirstActivity!(7 as never)).rejects.toThrow(InvalidStoreArgumentError);
      await expect(store.readActiveDays!([], [], { calendar, fromDay: 'x' } as never)).rejects.toThrow(InvalidStoreArgumentError);
      const badRef = { id: `${calendar}/x`, expireAtMs: LATER, firstActivity: { calendar, day: -(2 ** 30) } };
      await expect(store.addActiveUsers!([{ day: badRef, users: ['u'] }])).rejects.toThrow(InvalidStoreArgumentError);
      await expect(store.claimRateLimit(randomUUID(), 0, 1_000, badRef)).rejects.toThrow(InvalidStoreArgumentError);
      await store.addFirstActivity!({ calendar, users: [], complete: true });
      expect((await read(calendar, MAR(1), MAR(1), [])).firstActive?.count()).toBe(0);
    });
  });
}
