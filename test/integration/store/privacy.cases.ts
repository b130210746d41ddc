import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { InvalidStoreArgumentError } from '../../../lib/errors/invalid-store-argument.error.js';
import type { ActiveDayRef } from '../../../lib/store/active-days.interface.js';
import type { SouvenirsStore } from '../../../lib/store/souvenirs-store.interface.js';

const HOUR = 3_600_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The store's locks and marks, the removal of claims, and (with the index) of one user from it. */
export function describePrivacyCases(getStore: () => SouvenirsStore, { activeDays }: { activeDays: boolean }): void {
  describe('locks', () => {
    it('gives a lock to one holder until released by its token, or until its TTL runs out', async () => {
      const store = getStore();
      const name = `lock-${randomUUID()}`;
      const token = await store.acquireLock!(name, HOUR);
      expect(typeof token).toBe('string');
      await expect(store.acquireLock!(name, HOUR)).resolves.toBeNull();
      await store.releaseLock!(name, 'not-the-token');
      await expect(store.acquireLock!(name, HOUR)).resolves.toBeNull();
      await store.releaseLock!(name, token!);
      const short = await store.acquireLock!(name, 50);
      expect(short).not.toBeNull();
      await sleep(120);
      const next = await store.acquireLock!(name, HOUR);
      expect(next).not.toBeNull();
      // The expired holder's release does not free the new holder's lock.
      await store.releaseLock!(name, short!);
      await expect(store.acquireLock!(name, HOUR)).resolves.toBeNull();
    });

    it('refuses a bad name or TTL before taking anything', async () => {
      const store = getStore();
      await expect(store.acquireLock!('', HOUR)).rejects.toBeInstanceOf(InvalidStoreArgumentError);
      await expect(store.acquireLock!('x', 0)).rejects.toBeInstanceOf(InvalidStoreArgumentError);
      await expect(store.acquireLock!('x', 1.5)).rejects.toBeInstanceOf(InvalidStoreArgumentError);
    });
  });

  describe('marks', () => {
    it('raises a mark only forward, the highest value given winning among concurrent raises', async () => {
      const store = getStore();
      const name = `mark-${randomUUID()}`;
      await expect(store.readMark!(name)).resolves.toBeNull();
      await expect(store.raiseMark!(name, Date.UTC(2024, 5, 1))).resolves.toBe(Date.UTC(2024, 5, 1));
      // A lower value leaves it where it stands, and says where.
      await expect(store.raiseMark!(name, Date.UTC(2024, 0, 1))).resolves.toBe(Date.UTC(2024, 5, 1));
      const values = [3, 9, 1, 7, 5].map((day) => Date.UTC(2025, 0, day));
      const replies = await Promise.all(values.map((value) => store.raiseMark!(name, value)));
      for (const [i, reply] of replies.entries()) expect(reply).toBeGreaterThanOrEqual(values[i]);
      await expect(store.readMark!(name)).resolves.toBe(Date.UTC(2025, 0, 9));
      // Every namespace's view shares the store's marks: the horizon is the site's.
      if (store.activeDaysIn) await expect(store.activeDaysIn('tenant-a').readMark!(name)).resolves.toBe(Date.UTC(2025, 0, 9));
    });

    it('refuses a bad name or value before writing anything', async () => {
      const store = getStore();
      const name = `mark-${randomUUID()}`;
      await expect(store.raiseMark!('', 1)).rejects.toBeInstanceOf(InvalidStoreArgumentError);
      await expect(store.raiseMark!(name, 1.5)).rejects.toBeInstanceOf(InvalidStoreArgumentError);
      await expect(store.raiseMark!(name, Number.NaN)).rejects.toBeInstanceOf(InvalidStoreArgumentError);
      await expect(store.readMark!('')).rejects.toBeInstanceOf(InvalidStoreArgumentError);
      await expect(store.readMark!(name)).resolves.toBeNull();
    });
  });

  it('forgetRateLimits removes the claims of the subjects: their next claim is granted', async () => {
    const store = getStore();
    const subject = `user-${randomUUID()}`;
    const t0 = Date.UTC(2024, 0, 1);
    expect(await store.claimRateLimit(subject, t0, HOUR)).not.toBeNull();
    expect(await store.claimRateLimit(subject, t0 + 1, HOUR)).toBeNull();
    await store.forgetRateLimits!([subject]);
    expect(await store.claimRateLimit(subject, t0 + 2, HOUR)).toEqual({ subject, whenMs: t0 + 2, limitMs: HOUR, previousMs: null });
    await expect(store.forgetRateLimits!([1 as unknown as string])).rejects.toBeInstanceOf(InvalidStoreArgumentError);
  });

  it('forgetRateLimits removes the claims of many users at once (on a Cluster, of every shard of the site index)', async () => {
    const store = getStore();
    const subjects = Array.from({ length: 40 }, (_, i) => (i % 4 === 3 ? `u${i}-${randomUUID()}\u0000tenant-${i}` : `u${i}-${randomUUID()}`));
    const t0 = Date.UTC(2024, 0, 1);
    for (const subject of subjects) expect(await store.claimRateLimit(subject, t0, HOUR)).not.toBeNull();
    await store.forgetRateLimits!(subjects);
    for (const subject of subjects) expect(await store.claimRateLimit(subject, t0 + 1, HOUR)).toEqual({ subject, whenMs: t0 + 1, limitMs: HOUR, previousMs: null });
  });

  if (!activeDays) return;

  describe('forgetActiveUser', () => {
    const day = (): ActiveDayRef => ({ id: `day-${randomUUID()}`, expireAtMs: Date.now() + HOUR });

    it('removes the user from complete days, keeps them complete, and never gives its number again', async () => {
      const store = getStore();
      const [a, b] = [day(), day()];
      const [gone, kept] = [`gone-${randomUUID()}`, `kept-${randomUUID()}`];
      const builds = await store.beginActiveDayBuilds!([a, b]);
      await store.writeActiveDayBuilds!([
        { day: a, build: builds[0], users: [gone, kept], finish: true },
        { day: b, build: builds[1], users: [gone], finish: true },
      ]);
      const before = await store.readActiveDays!([a.id], [gone, kept]);
      expect(await store.forgetActiveUser!({ user: gone, pendingBeforeMs: Date.now() })).toEqual({ pending: 0 });
      expect(await store.countActiveUsers!([{ days: [a.id, b.id], users: [] }])).toEqual([{ count: 1 }]);
      const after = await store.readActiveDays!([a.id], [gone, kept, `new-${randomUUID()}`]);
      expect(after.users[0]).toBeNull();
      expect(after.users[1]).toBe(before.users[1]);
      // A new user gets a number no one had.
      const fresh = `fresh-${randomUUID()}`;
      await store.addActiveUsers!([{ day: b, users: [fresh] }]);
      const numbered = await store.readActiveDays!([b.id], [fresh]);
      expect(numbered.users[0]).not.toBe(before.users[0]);
      expect(numbered.users[0]).not.toBe(before.users[1]);
    });

    it('drops a build under way: its SQL read may predate the deletion of the rows', async () => {
      const store = getStore();
      const a = day();
      const [build] = await store.beginActiveDayBuilds!([a]);
      await store.forgetActiveUser!({ user: `x-${randomUUID()}`, pendingBeforeMs: Date.now() });
      await expect(store.writeActiveDayBuilds!([{ day: a, build, users: ['someone'], finish: true }])).resolves.toEqual([false]);
    });

    it('leaves the pending adds claimed before the given time standing and counts them, or drops them', async () => {
      const store = getStore();
      const user = `p-${randomUUID()}`;
      const a = day();
      expect(await store.claimRateLimit(user, Date.UTC(2024, 0, 1), HOUR, a)).not.toBeNull();
      expect(await store.forgetActiveUser!({ user, pendingBeforeMs: Date.now() + 1000 })).toEqual({ pending: 1 });
      expect(await store.forgetActiveUser!({ user, pendingBeforeMs: 0 })).toEqual({ pending: 0 });
      // Claimed after 0: removed by that call.
      expect(await store.forgetActiveUser!({ user, pendingBeforeMs: Date.now() + 1000 })).toEqual({ pending: 0 });
      await expect(store.forgetActiveUser!({ user: 1 as unknown as string, pendingBeforeMs: 0 })).rejects.toBeInstanceOf(InvalidStoreArgumentError);
    });
  });
}
