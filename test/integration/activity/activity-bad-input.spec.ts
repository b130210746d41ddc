import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { ActivityService } from '../../../lib/activity/activity.service.js';
import { InvalidDateError } from '../../../lib/errors/invalid-date.error.js';
import { InvalidOptionError } from '../../../lib/errors/invalid-option.error.js';
import { InvalidRangeError } from '../../../lib/errors/invalid-range.error.js';
import { InvalidRateLimitError } from '../../../lib/errors/invalid-rate-limit.error.js';
import { InvalidUserError } from '../../../lib/errors/invalid-user.error.js';
import { SouvenirsError } from '../../../lib/errors/souvenirs.error.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../support/databases.js';
import {
  clearSouvenirs,
  createService,
  createTestStore,
  storedRows,
  TestClock,
  type TestStore,
} from './activity-test-kit.js';

const T = new Date('2026-03-01T09:00:00.000Z');

describe.each(DIALECTS)('ActivityService rejects bad input with typed errors on %s', (dialect) => {
  let db: TestDatabase;
  let testStore: TestStore;
  let activity: ActivityService;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
  });

  afterAll(async () => {
    await db?.drop();
  });

  beforeEach(async () => {
    await clearSouvenirs(db);
    testStore = await createTestStore('memory');
    activity = createService(db, testStore.store, { now: new TestClock(T).now });
  });

  afterEach(async () => {
    await testStore.close();
  });

  /** Nothing was written, and no claim was taken for `user`: a valid call at T is 'added'. */
  async function expectNothingRecorded(user: string): Promise<void> {
    expect(await storedRows(db)).toEqual([]);
    expect(await activity.souvenez(user, { when: T })).toBe('added');
  }

  describe('souvenez', () => {
    it.each([
      ['an Invalid Date', new Date('not a date'), /`when` must be a valid Date, received Invalid Date/],
      ['a date string', '2026-03-01', /`when` must be a valid Date, received "2026-03-01"/],
      ['a timestamp number', T.getTime(), /`when` must be a valid Date, received 1772355600000/],
    ])('rejects %s as `when`', async (_name, when, message) => {
      const call = activity.souvenez('u', { when: when as Date });
      await expect(call).rejects.toThrow(InvalidDateError);
      await expect(call).rejects.toThrow(message);
      await expectNothingRecorded('u');
    });

    it('rejects a clock that returns an invalid Date, naming now()', async () => {
      const broken = createService(db, testStore.store, { now: () => new Date(Number.NaN) });
      await expect(broken.souvenez('u')).rejects.toThrow(/`now\(\)` must be a valid Date/);
      await expectNothingRecorded('u');
    });

    it.each([
      ['a negative number', -1, /received -1/],
      ['Infinity', Number.POSITIVE_INFINITY, /received Infinity/],
      ['NaN', Number.NaN, /received NaN/],
      ['a string', '3600', /received "3600"/],
    ])('rejects %s as ratelimit, before claiming anything', async (_name, ratelimit, message) => {
      const call = activity.souvenez('u', { when: T, ratelimit: ratelimit as number });
      await expect(call).rejects.toThrow(InvalidRateLimitError);
      await expect(call).rejects.toThrow(/Rate limit must be true, false, or a number of seconds >= 0/);
      await expect(call).rejects.toThrow(message);
      await expectNothingRecorded('u');
    });

    it('rejects a non-boolean checkDuplicate, before claiming anything', async () => {
      const call = activity.souvenez('u', { when: T, checkDuplicate: 'yes' as never });
      await expect(call).rejects.toThrow(InvalidOptionError);
      await expect(call).rejects.toThrow(/`checkDuplicate`: expected true or false, received "yes"/);
      await expectNothingRecorded('u');
    });

    it.each([
      ['an object without an id', { name: 'ann' }, /an object with an `id`, received an object \(Object\)/],
      ['an object whose id is an object', { id: { id: 1 } }, /received an object \(Object\)/],
      ['an empty string', '', /received ""/],
      ['a blank string', '   ', /received "   "/],
      ['NaN', Number.NaN, /received NaN/],
      ['Infinity', Number.POSITIVE_INFINITY, /received Infinity/],
      ['null', null, /received null/],
      ['undefined', undefined, /received undefined/],
    ])('rejects %s as user', async (_name, user, message) => {
      const call = activity.souvenez(user as never, { when: T });
      await expect(call).rejects.toThrow(InvalidUserError);
      await expect(call).rejects.toThrow(/Cannot tell which user this is/);
      await expect(call).rejects.toThrow(message);
      expect(await storedRows(db)).toEqual([]);
    });

    it('rejects a user id longer than the 191-character column, and stores one of exactly 191', async () => {
      const long = 'x'.repeat(192);
      const call = activity.souvenez(long, { when: T });
      await expect(call).rejects.toThrow(InvalidUserError);
      await expect(call).rejects.toMatchObject({ reason: 'too-long', maxLength: 191 });
      await expect(call).rejects.toThrow(/User id is 192 characters long, but activity keeps at most 191/);
      await expectNothingRecorded('x'.repeat(191));
      expect((await storedRows(db))[0].userId).toBe('x'.repeat(191));
    });

    it('counts characters, not UTF-16 units: 191 emoji fit', async () => {
      const emoji = '🙂'.repeat(191);
      expect(await activity.souvenez(emoji, { when: T })).toBe('added');
      expect((await storedRows(db))[0].userId).toBe(emoji);
      const tooLong = activity.souvenez(`${emoji}🙂`, { when: T });
      await expect(tooLong).rejects.toThrow(InvalidUserError);
      await expect(tooLong).rejects.toMatchObject({ reason: 'too-long' });
    });
  });

  describe('countActiveUsers', () => {
    it.each([
      ['an Invalid Date start', { start: new Date('x') }, /`range.start` must be a valid Date, received Invalid Date/],
      ['a string end', { end: '2026-01-01' }, /`range.end` must be a valid Date, received "2026-01-01"/],
    ])('rejects %s', async (_name, range, message) => {
      const call = activity.countActiveUsers(range as never);
      await expect(call).rejects.toThrow(InvalidDateError);
      await expect(call).rejects.toThrow(message);
    });

    it('rejects an end before the start, naming both', async () => {
      const call = activity.countActiveUsers({ start: T, end: new Date(T.getTime() - 1) });
      await expect(call).rejects.toThrow(InvalidRangeError);
      await expect(call).rejects.toThrow(
        'Range end 2026-03-01T08:59:59.999Z is before its start 2026-03-01T09:00:00.000Z',
      );
    });

    it('treats null bounds as open', async () => {
      await activity.souvenez('u', { when: T });
      expect(await activity.countActiveUsers({ start: null, end: null } as never)).toBe(1);
    });
  });

  it('every one of these errors is a SouvenirsError', async () => {
    const failures = await Promise.allSettled([
      activity.souvenez({} as never),
      activity.souvenez('u', { when: new Date('x') }),
      activity.souvenez('u', { ratelimit: -5 }),
      activity.countActiveUsers({ start: T, end: new Date(0) }),
    ]);
    for (const failure of failures) {
      expect(failure.status).toBe('rejected');
      expect((failure as PromiseRejectedResult).reason).toBeInstanceOf(SouvenirsError);
    }
    await expectNothingRecorded('u');
  });
});
