import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { ActivityService } from '../../../lib/activity/activity.service.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../support/databases.js';
import {
  clearSouvenirs,
  createService,
  createTestStore,
  HOUR,
  MINUTE,
  STORE_KINDS,
  storedRows,
  TestClock,
  type TestStore,
} from './activity-test-kit.js';

const T = new Date('2026-03-01T09:00:00.000Z');
const at = (offsetMs: number, base = T) => new Date(base.getTime() + offsetMs);

describe.each(DIALECTS)('ActivityService rate limit on %s', (dialect) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
  });

  afterAll(async () => {
    await db?.drop();
  });

  describe.each(STORE_KINDS)('with the %s store', (storeKind) => {
    let testStore: TestStore;
    let clock: TestClock;
    let activity: ActivityService;

    beforeEach(async () => {
      await clearSouvenirs(db);
      testStore = await createTestStore(storeKind);
      clock = new TestClock(T);
      activity = createService(db, testStore.store, { now: clock.now });
    });

    afterEach(async () => {
      await testStore.close();
    });

    it('writes a user again only once `when` reaches the last written `when` + the limit', async () => {
      expect(await activity.souvenez('u', { when: T })).toBe('added');
      expect(await activity.souvenez('u', { when: at(HOUR - 1) })).toBe('rate-limited');
      expect(await activity.souvenez('u', { when: at(HOUR) })).toBe('added');
      expect(await activity.souvenez('u', { when: at(HOUR + 30 * MINUTE) })).toBe('rate-limited');
      expect(await storedRows(db)).toEqual([
        { userId: 'u', when: T.toISOString() },
        { userId: 'u', when: at(HOUR).toISOString() },
      ]);
    });

    it('does not move the window on a rate-limited call', async () => {
      expect(await activity.souvenez('u', { when: T })).toBe('added');
      expect(await activity.souvenez('u', { when: at(50 * MINUTE) })).toBe('rate-limited');
      // Had the limited call counted, this would be limited until T+110 min.
      expect(await activity.souvenez('u', { when: at(60 * MINUTE) })).toBe('added');
    });

    it('limits on event time, not the wall clock: explicit past `when` values (a backfill)', async () => {
      const past = new Date('2010-01-01T00:00:00.000Z');
      // The clock is years later and never moves: only the `when` values decide.
      expect(await activity.souvenez('u', { when: past })).toBe('added');
      expect(await activity.souvenez('u', { when: at(30 * MINUTE, past) })).toBe('rate-limited');
      expect(await activity.souvenez('u', { when: at(HOUR, past) })).toBe('added');
      expect(await activity.souvenez('u', { when: at(90 * MINUTE, past) })).toBe('rate-limited');
      expect(await activity.souvenez('u', { when: at(2 * HOUR + 1, past) })).toBe('added');
      expect((await storedRows(db)).map((row) => row.when)).toEqual([
        past.toISOString(),
        at(HOUR, past).toISOString(),
        at(2 * HOUR + 1, past).toISOString(),
      ]);
    });

    it('limits an earlier `when` too, as django-souvenirs does (when < last + limit)', async () => {
      expect(await activity.souvenez('u', { when: T })).toBe('added');
      expect(await activity.souvenez('u', { when: at(-2 * HOUR) })).toBe('rate-limited');
    });

    it('uses the clock when `when` is absent', async () => {
      expect(await activity.souvenez('u')).toBe('added');
      clock.advance(HOUR - 1);
      expect(await activity.souvenez('u')).toBe('rate-limited');
      clock.advance(1);
      expect(await activity.souvenez('u')).toBe('added');
      expect((await storedRows(db)).map((row) => row.when)).toEqual([T.toISOString(), at(HOUR).toISOString()]);
    });

    it('keeps one window per user', async () => {
      expect(await activity.souvenez('u', { when: T })).toBe('added');
      expect(await activity.souvenez('v', { when: T })).toBe('added');
      expect(await activity.souvenez(7, { when: T })).toBe('added');
      expect(await activity.souvenez({ id: '7' }, { when: at(MINUTE) })).toBe('rate-limited');
      expect(await activity.souvenez('u', { when: at(MINUTE) })).toBe('rate-limited');
    });

    it('ratelimit: false and 0 always write, and claim nothing', async () => {
      expect(await activity.souvenez('u', { when: T, ratelimit: false })).toBe('added');
      expect(await activity.souvenez('u', { when: T, ratelimit: 0 })).toBe('added');
      expect(await activity.souvenez('u', { when: T, ratelimit: false })).toBe('added');
      // No claim was taken, so a limited call at the same time is still granted.
      expect(await activity.souvenez('u', { when: T })).toBe('added');
      expect(await activity.souvenez('u', { when: T, ratelimit: 0 })).toBe('added');
      expect(await storedRows(db)).toHaveLength(5);
    });

    it('ratelimit: a number is a window in seconds', async () => {
      expect(await activity.souvenez('u', { when: T, ratelimit: 10 })).toBe('added');
      expect(await activity.souvenez('u', { when: at(9_999), ratelimit: 10 })).toBe('rate-limited');
      expect(await activity.souvenez('u', { when: at(10_000), ratelimit: 10 })).toBe('added');
      // Fractions of a second count too.
      expect(await activity.souvenez('u', { when: at(10_400), ratelimit: 0.5 })).toBe('rate-limited');
      expect(await activity.souvenez('u', { when: at(10_500), ratelimit: 0.5 })).toBe('added');
    });

    it('ratelimit: true (and absent) use the module rateLimitSeconds; 0 there turns the limit off', async () => {
      const twoMinutes = createService(db, testStore.store, { now: clock.now, rateLimitSeconds: 120 });
      expect(await twoMinutes.souvenez('u', { when: T, ratelimit: true })).toBe('added');
      expect(await twoMinutes.souvenez('u', { when: at(119_999), ratelimit: true })).toBe('rate-limited');
      expect(await twoMinutes.souvenez('u', { when: at(119_999) })).toBe('rate-limited');
      expect(await twoMinutes.souvenez('u', { when: at(120_000) })).toBe('added');

      const off = createService(db, testStore.store, { now: clock.now, rateLimitSeconds: 0 });
      expect(await off.souvenez('w', { when: T })).toBe('added');
      expect(await off.souvenez('w', { when: T, ratelimit: true })).toBe('added');
      expect(await storedRows(db)).toHaveLength(4);
    });

    it('is shared by every service over the same store', async () => {
      const other = createService(db, testStore.store, { now: clock.now });
      expect(await activity.souvenez('u', { when: T })).toBe('added');
      expect(await other.souvenez('u', { when: at(MINUTE) })).toBe('rate-limited');
    });
  });
});
