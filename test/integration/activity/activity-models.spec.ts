import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { ActivityService } from '../../../lib/activity/activity.service.js';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { InvalidRangeError } from '../../../lib/errors/invalid-range.error.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../support/databases.js';
import {
  clearSouvenirs,
  createService,
  createTestStore,
  MINUTE,
  STORE_KINDS,
  TestClock,
  type TestStore,
} from './activity-test-kit.js';

/**
 * A port of django-souvenirs' souvenirs/tests/test_models.py (class TestSouvenir).
 * The test app ran in America/New_York, so the fixture's `datetime(year, 2, 14, 12)`
 * is noon EST (UTC-5). Each fixture souvenir has its own user (SouvenirFactory's
 * SubFactory), here 'fixture-2010' … 'fixture-2017'.
 */
const newYork = (isoWithoutOffset: string) => new Date(`${isoWithoutOffset}-05:00`);
const FIXTURE = Array.from({ length: 8 }, (_, i) => ({
  userId: `fixture-${2010 + i}`,
  when: newYork(`${2010 + i}-02-14T12:00:00`),
}));

describe.each(DIALECTS)('ActivityService: django-souvenirs test_models.py on %s', (dialect) => {
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

    // The autouse `setup` fixture: eight souvenirs, Feb 14 noon of 2010…2017.
    beforeEach(async () => {
      await clearSouvenirs(db);
      testStore = await createTestStore(storeKind);
      clock = new TestClock(new Date('2026-11-22T15:30:00.000Z'));
      activity = createService(db, testStore.store, { now: clock.now });
      // Copies: `insert` writes generated ids back into the objects it is given.
      await db.dataSource.getRepository(Souvenir).insert(FIXTURE.map((s) => ({ ...s })));
    });

    afterEach(async () => {
      await testStore.close();
    });

    const souvenirCount = () => db.dataSource.getRepository(Souvenir).count();

    it('test_souvenez: rate-limited to one row an hour per user, unless ratelimit is false', async () => {
      await clearSouvenirs(db);
      expect(await souvenirCount()).toBe(0);
      const u = { id: 1001 };
      const u2 = { id: 1002 };
      expect(await activity.souvenez(u, { when: new Date(clock.now().getTime() - 61 * MINUTE) })).toBe('added');
      expect(await activity.souvenez(u)).toBe('added');
      expect(await activity.souvenez(u2)).toBe('added');
      expect(await activity.souvenez(u)).toBe('rate-limited');
      expect(await activity.souvenez(u, { ratelimit: false })).toBe('added');
      expect(await souvenirCount()).toBe(4);
    });

    async function checkCountActiveUsers(): Promise<void> {
      expect(await activity.countActiveUsers()).toBe(8);

      let when = newYork('2013-01-01T00:00:00');
      // The original asserts these are truthy; they are 2013…2017 and 2010…2012.
      expect(await activity.countActiveUsers({ start: when })).toBe(5);
      expect(await activity.countActiveUsers({ end: when })).toBe(3);

      // combine start and end.
      when = newYork('2013-02-01T00:00:00');
      expect(await activity.countActiveUsers({ start: when, end: newYork('2015-02-01T00:00:00') })).toBe(2);
      // The original returns 0 for an end before the start; this API rejects it
      // (InvalidRangeError) rather than answer a meaningless range.
      await expect(activity.countActiveUsers({ start: newYork('2015-02-01T00:00:00'), end: when })).rejects.toThrow(
        InvalidRangeError,
      );

      // ensure start inclusive and end exclusive by using a datetime that
      // exactly matches a record.
      when = newYork('2013-02-14T12:00:00');
      expect(await db.dataSource.getRepository(Souvenir).existsBy({ when })).toBe(true);
      expect(await activity.countActiveUsers({ start: when })).toBe(5);
      expect(await activity.countActiveUsers({ end: when })).toBe(3);
      expect(await activity.countActiveUsers({ start: when, end: when })).toBe(0);
    }

    it('test_count_active_users: start inclusive, end exclusive', async () => {
      await checkCountActiveUsers();
    });

    it('test_count_active_users_distinct: a second souvenir of the same user at the same time counts once', async () => {
      await db.dataSource.getRepository(Souvenir).insert(FIXTURE.map((s) => ({ ...s })));
      expect(await souvenirCount()).toBe(16);
      await checkCountActiveUsers();
    });

    it('counts user ids exactly: case and numbers-as-strings', async () => {
      await clearSouvenirs(db);
      const when = new Date('2020-05-05T05:05:05.005Z');
      for (const user of ['ann', 'Ann', 42, '42', { id: 42 }]) {
        await activity.souvenez(user, { when, ratelimit: false });
      }
      // 42, '42' and { id: 42 } are one user; 'ann' and 'Ann' are two, on every database.
      expect(await activity.countActiveUsers()).toBe(3);
      expect(await activity.countActiveUsers({ start: when, end: new Date(when.getTime() + 1) })).toBe(3);
      expect(await activity.countActiveUsers({ start: new Date(when.getTime() + 1) })).toBe(0);
    });
  });
});
