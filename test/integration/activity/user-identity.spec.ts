import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { ActivityService } from '../../../lib/activity/activity.service.js';
import { InvalidBackfillEntryError } from '../../../lib/errors/invalid-backfill-entry.error.js';
import { InvalidUserError } from '../../../lib/errors/invalid-user.error.js';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../support/databases.js';
import { clearSouvenirs, createService, createTestStore, storedRows, STORE_KINDS, TestClock, type StoreKind, type TestStore } from './activity-test-kit.js';

// One identity everywhere (issue 16): a user id is one user in SQL, in the active-users
// index and in every store, on every database. `'42 '` and `'42'` are two users (MariaDB's
// `utf8mb4_bin` pads: the migrations move `user_id` to a NO PAD binary collation); what no
// database and store keep faithfully (NUL, lone surrogates) is refused before anything is
// written, so `'\uD800'`, `'\uDC00'` and `'\uFFFD'` cannot become one user on some and
// three on others.

const DAY = 86_400_000;
const START = new Date('2026-03-01T00:00:00.000Z');
const T = new Date(START.getTime() + 9 * 3_600_000);

const PADDED = ['42', '42 ', '42  ', ' 42', 'dup', 'dup '];
const UNSTORABLE = ['\uD800', '\uDC00', 'a\uD800b', '\uDBFF\uDBFF', 'a\u0000b', '\u0000'];

describe.each(DIALECTS.flatMap((dialect) => STORE_KINDS.map((kind) => [dialect, kind] as const)))('user ids on %s with the %s store', (dialect, kind: StoreKind) => {
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
    testStore = await createTestStore(kind);
    activity = createService(db, testStore.store, { now: new TestClock(new Date(START.getTime() + 3 * DAY)).now, rateLimitSeconds: 0 });
  });
  afterEach(async () => {
    await testStore.close();
  });

  /** Distinct users by SQL alone, with the database's own comparison. */
  const sqlDistinct = async (): Promise<number> => {
    const [row] = (await db.dataSource.getRepository(Souvenir).createQueryBuilder('s').select('COUNT(DISTINCT s.userId)', 'n').getRawMany()) as Array<{ n: string | number }>;
    return Number(row.n);
  };

  it("keeps ids that differ by padding apart: in SQL, in the index, whole days or not, and for checkDuplicate", async () => {
    for (const user of PADDED) expect(await activity.souvenez(user, { when: T })).toBe('added');
    expect(await sqlDistinct()).toBe(PADDED.length);
    // Whole local days are read from the index, a range off midnight from SQL: both the same.
    expect(await activity.countActiveUsers({ start: START, end: new Date(START.getTime() + DAY) })).toBe(PADDED.length);
    expect(await activity.countActiveUsers({ start: new Date(START.getTime() + 3_600_000), end: new Date(START.getTime() + DAY + 3_600_000) })).toBe(PADDED.length);
    expect(await activity.countActiveUsers({ start: START })).toBe(PADDED.length);
    // The index lookup of checkDuplicate takes 'dup ' for itself, not for 'dup'.
    expect(await activity.souvenez('dup  ', { when: T, checkDuplicate: true })).toBe('added');
    expect(await activity.souvenez('dup ', { when: T, checkDuplicate: true })).toBe('duplicated');
    expect(await activity.backfill([{ user: '42   ', when: T }, { user: '42 ', when: T }], { checkDuplicate: true })).toEqual({ added: 1, duplicated: 1 });
    expect((await storedRows(db)).map((row) => row.userId).sort()).toEqual([...PADDED, 'dup  ', '42   '].sort());
  });

  it("refuses NUL and lone surrogates before anything is written, and keeps '\\uFFFD' as its own user", async () => {
    for (const user of UNSTORABLE) {
      const refused = await activity.souvenez(user, { when: T }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(InvalidUserError);
      expect(refused).toMatchObject({ reason: 'unstorable', userId: user });
      await expect(activity.souvenez({ id: user }, { when: T })).rejects.toMatchObject({ reason: 'unstorable' });
      const backfill = await activity.backfill([{ user: 'fine', when: T }, { user, when: T }], { batchSize: 10 }).catch((error: unknown) => error);
      expect(backfill).toBeInstanceOf(InvalidBackfillEntryError);
    }
    expect(await storedRows(db)).toEqual([]);
    expect(await activity.countActiveUsers({ start: START })).toBe(0);
    for (const user of ['\uFFFD', '\uD83D\uDE00', 'x']) expect(await activity.souvenez(user, { when: T })).toBe('added');
    expect(await activity.souvenez('\uFFFD', { when: T, checkDuplicate: true })).toBe('duplicated');
    expect(await sqlDistinct()).toBe(3);
    expect(await activity.countActiveUsers({ start: START, end: new Date(START.getTime() + DAY) })).toBe(3);
    expect((await storedRows(db)).map((row) => row.userId).sort()).toEqual(['\uFFFD', '\uD83D\uDE00', 'x'].sort());
  });
});
