import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { CapturingLogger, loggedDataSource } from '../../support/capturing-logger.js';
import { ActivityService, type BackfillEntry } from '../../../lib/activity/activity.service.js';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { InvalidBackfillEntryError } from '../../../lib/errors/invalid-backfill-entry.error.js';
import { InvalidOptionError } from '../../../lib/errors/invalid-option.error.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../support/databases.js';
import { clearSouvenirs, createTestStore, MINUTE, activityService, storedRows, TestClock, type TestStore } from './activity-test-kit.js';

const T = new Date('2015-06-01T08:00:00.000Z');
const at = (offsetMs: number) => new Date(T.getTime() + offsetMs);

async function* slowly<T>(items: readonly T[], onEach?: (index: number) => Promise<void>): AsyncGenerator<T> {
  for (const [index, item] of items.entries()) {
    await onEach?.(index);
    yield item;
  }
}

describe.each(DIALECTS)('ActivityService.backfill and checkDuplicate on %s', (dialect) => {
  let db: TestDatabase;
  let logged: DataSource;
  let logger: CapturingLogger;
  let testStore: TestStore;
  let activity: ActivityService;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    logger = new CapturingLogger();
    // A second connection to the same database whose every query is recorded.
    logged = await loggedDataSource(db, logger);
  });

  afterAll(async () => {
    if (logged?.isInitialized) await logged.destroy();
    await db?.drop();
  });

  beforeEach(async () => {
    await clearSouvenirs(db);
    testStore = await createTestStore('memory');
    activity = activityService(logged.getRepository(Souvenir), testStore.store, {
      now: new TestClock(new Date('2026-01-01T00:00:00Z')).now,
    });
    logger.queries.length = 0;
  });

  afterEach(async () => {
    await testStore.close();
  });

  const insertCount = () => logger.queries.filter((query) => /^\s*INSERT INTO/i.test(query)).length;
  const selectCount = () => logger.queries.filter((query) => /^\s*SELECT/i.test(query)).length;

  describe('souvenez with checkDuplicate', () => {
    it('answers duplicated for the same user at the same millisecond, and writes nothing', async () => {
      expect(await activity.souvenez('u', { when: T, ratelimit: false })).toBe('added');
      expect(await activity.souvenez('u', { when: T, ratelimit: false, checkDuplicate: true })).toBe('duplicated');
      expect(await activity.souvenez('u', { when: at(1), ratelimit: false, checkDuplicate: true })).toBe('added');
      expect(await activity.souvenez('v', { when: T, ratelimit: false, checkDuplicate: true })).toBe('added');
      expect(await storedRows(db)).toEqual([
        { userId: 'u', when: T.toISOString() },
        { userId: 'v', when: T.toISOString() },
        { userId: 'u', when: at(1).toISOString() },
      ]);
    });

    it('writes the same pair twice without it', async () => {
      await activity.souvenez('u', { when: T, ratelimit: false });
      expect(await activity.souvenez('u', { when: T, ratelimit: false })).toBe('added');
      expect(await storedRows(db)).toHaveLength(2);
    });

    it('keeps the rate-limit claim of a duplicate, as django-souvenirs does', async () => {
      await activity.souvenez('u', { when: T, ratelimit: false });
      expect(await activity.souvenez('u', { when: T, checkDuplicate: true })).toBe('duplicated');
      expect(await activity.souvenez('u', { when: at(MINUTE) })).toBe('rate-limited');
    });
  });

  describe('backfill', () => {
    const entries = (count: number, user: string | number = 'u'): BackfillEntry[] =>
      Array.from({ length: count }, (_, i) => ({ user, when: at(i * MINUTE) }));

    it('writes a sync iterable in batches, one INSERT each, reporting progress after each', async () => {
      const progress: number[] = [];
      const result = await activity.backfill(entries(5), { batchSize: 2, onProgress: (done) => progress.push(done) });
      expect(result).toEqual({ added: 5, duplicated: 0 });
      expect(progress).toEqual([2, 4, 5]);
      expect(insertCount()).toBe(3);
      expect((await storedRows(db)).map((row) => row.when)).toEqual(entries(5).map((e) => e.when.toISOString()));
    });

    it('streams an async iterable: with concurrency 1, each batch is written before later entries are read', async () => {
      const progress: number[] = [];
      const rowsSeenBeforeEntry: number[] = [];
      const source = slowly(entries(7, 42), async () => {
        rowsSeenBeforeEntry.push(await db.dataSource.getRepository(Souvenir).count());
      });
      const result = await activity.backfill(source, { batchSize: 3, concurrency: 1, onProgress: (done) => progress.push(done) });
      expect(result).toEqual({ added: 7, duplicated: 0 });
      expect(progress).toEqual([3, 6, 7]);
      expect(rowsSeenBeforeEntry).toEqual([0, 0, 0, 3, 3, 3, 6]);
      expect(new Set((await storedRows(db)).map((row) => row.userId))).toEqual(new Set(['42']));
    });

    it('imports history as given: no rate limit, and no claim left behind', async () => {
      expect(await activity.backfill(entries(3))).toEqual({ added: 3, duplicated: 0 });
      expect(await activity.souvenez('u', { when: T })).toBe('added');
    });

    it('with checkDuplicate skips entries already stored or repeated, within and across batches, one query per batch', async () => {
      await db.dataSource.getRepository(Souvenir).insert({ userId: 'u1', when: T });
      logger.queries.length = 0;
      const result = await activity.backfill(
        [
          { user: 'u1', when: T }, // stored before
          { user: 'u2', when: T },
          { user: 'u2', when: T }, // repeats within its batch
          { user: 'u2', when: T }, // written by the previous batch
          { user: 'u3', when: T },
          { user: 'u1', when: at(1) }, // same user, another millisecond
        ],
        { batchSize: 3, checkDuplicate: true },
      );
      expect(result).toEqual({ added: 3, duplicated: 3 });
      // One duplicate check per batch, and before the first insert into the day the index's two
      // probes (any row in the table, any row in the day: an empty day starts complete).
      expect(selectCount()).toBe(2 + 2);
      expect(insertCount()).toBe(2);
      // Batches written side by side may commit in either order: compare as sets.
      const byWhenAndUser = (rows: { userId: string; when: string }[]) =>
        rows.map(({ userId, when }) => `${when} ${userId}`).sort();
      expect(byWhenAndUser(await storedRows(db))).toEqual(
        byWhenAndUser([
          { userId: 'u1', when: T.toISOString() },
          { userId: 'u2', when: T.toISOString() },
          { userId: 'u3', when: T.toISOString() },
          { userId: 'u1', when: at(1).toISOString() },
        ]),
      );
    });

    it('with checkDuplicate checks a 5,000-entry batch (more pairs than one query can hold on SQLite)', async () => {
      // Every 10th pair is stored beforehand, every 9th pair comes twice in a row.
      const pairs = Array.from({ length: 4_500 }, (_, i) => ({ user: `u${i % 300}`, when: at(i) }));
      await db.dataSource.getRepository(Souvenir).insert(pairs.filter((_, i) => i % 10 === 0).map(({ user, when }) => ({ userId: user, when })));
      const batch = pairs.flatMap((pair, i) => (i % 9 === 8 ? [pair, pair] : [pair])).slice(0, 5_000);
      const distinct = new Set(batch.map(({ user, when }) => `${user} ${when.getTime()}`));
      const storedBefore = pairs.filter((pair, i) => i % 10 === 0 && distinct.has(`${pair.user} ${pair.when.getTime()}`)).length;
      const result = await activity.backfill(batch, { batchSize: 5_000, checkDuplicate: true });
      expect(result).toEqual({ added: distinct.size - storedBefore, duplicated: 5_000 - distinct.size + storedBefore });
      expect(await db.dataSource.getRepository(Souvenir).count()).toBe(pairs.filter((_, i) => i % 10 === 0).length + result.added);
    });

    it('stores user ids with quotes, backslashes, commas, braces, spaces and NULL as given', async () => {
      const ids = ['a"b', 'c\\d', '\\"', 'e,f', '{g}', ' h ', 'NULL', 'ü 😀'];
      await activity.backfill(ids.map((user, i) => ({ user, when: at(i) })), { batchSize: 100 });
      expect((await storedRows(db)).map((row) => row.userId)).toEqual(ids);
    });

    it('stops reading while more than `concurrency` written batches wait for a slow index', async () => {
      const store = testStore.store;
      const addActiveUsers = store.addActiveUsers!.bind(store);
      let releaseIndex!: () => void;
      const indexBlocked = new Promise<void>((resolve) => (releaseIndex = resolve));
      // The index updates of written batches wait; the marks of empty days before an insert do not.
      store.addActiveUsers = async (writes) => {
        if (writes.some((write) => write.users.length > 0)) await indexBlocked;
        return addActiveUsers(writes);
      };
      let read = 0;
      const source = slowly(entries(10), async () => {
        read += 1;
      });
      const backfill = activity.backfill(source, { batchSize: 1, concurrency: 1 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(read).toBe(2); // batch 1 waits for the index, batch 2 is written, then reading waits
      releaseIndex();
      expect(await backfill).toEqual({ added: 10, duplicated: 0 });
      expect(read).toBe(10);
    });

    it('without checkDuplicate writes repeated entries', async () => {
      const result = await activity.backfill([
        { user: 'u', when: T },
        { user: 'u', when: T },
      ]);
      expect(result).toEqual({ added: 2, duplicated: 0 });
      expect(await storedRows(db)).toHaveLength(2);
    });

    it('stops at a bad entry mid-stream: earlier batches stay written, its own batch is not', async () => {
      const progress: number[] = [];
      const source: unknown[] = [...entries(3), { user: {}, when: at(10 * MINUTE) }, ...entries(2)];
      const failure = activity.backfill(source as BackfillEntry[], { batchSize: 2, onProgress: (d) => progress.push(d) });
      await expect(failure).rejects.toThrow(InvalidBackfillEntryError);
      await expect(failure).rejects.toMatchObject({ entryNumber: 4, processed: 2 });
      await expect(failure).rejects.toThrow(/Backfill entry #4 is invalid: Cannot tell which user this is.*resume from entry #3/);
      expect(progress).toEqual([2]);
      expect((await storedRows(db)).map((row) => row.when)).toEqual([T.toISOString(), at(MINUTE).toISOString()]);
    });

    it.each([
      ['an invalid Date', { user: 'u', when: new Date('nope') }, /#1 is invalid: `when` must be a valid Date, received Invalid Date/],
      ['a date string', { user: 'u', when: '2015-06-01' }, /#1 is invalid: `when` must be a valid Date, received "2015-06-01"/],
      ['not an object', 'u,2015-06-01', /#1 is invalid: expected an object \{ user, when \}/],
      ['an empty user id', { user: '', when: T }, /#1 is invalid: Cannot tell which user/],
    ])('names the reason of %s', async (_name, entry, message) => {
      await expect(activity.backfill([entry] as BackfillEntry[])).rejects.toThrow(message);
      expect(await storedRows(db)).toEqual([]);
    });

    it.each([
      ['batchSize 0', { batchSize: 0 }, /`batchSize`: expected an integer from 1 to 10000, received 0/],
      ['batchSize 1.5', { batchSize: 1.5 }, /`batchSize`/],
      ['batchSize 10 001', { batchSize: 10_001 }, /`batchSize`/],
      ['a non-boolean checkDuplicate', { checkDuplicate: 'yes' }, /`checkDuplicate`: expected true or false/],
      ['a non-function onProgress', { onProgress: 3 }, /`onProgress`/],
      ['concurrency 0', { concurrency: 0 }, /`concurrency`: expected an integer from 1 to 8, received 0/],
      ['concurrency 9', { concurrency: 9 }, /`concurrency`/],
    ])('rejects %s before reading any entry', async (_name, options, message) => {
      let read = 0;
      const source = slowly(entries(2), async () => {
        read += 1;
      });
      await expect(activity.backfill(source, options as never)).rejects.toThrow(InvalidOptionError);
      await expect(activity.backfill(entries(1), options as never)).rejects.toThrow(message);
      expect(read).toBe(0);
      expect(await storedRows(db)).toEqual([]);
    });

    it('rejects entries that are not iterable', async () => {
      await expect(activity.backfill({ user: 'u', when: T } as never)).rejects.toThrow(
        /`entries`: expected an iterable or async iterable/,
      );
    });
  });

  // SQLite writes one statement at a time: its batches are never side by side, so there is nothing to test there.
  if (dialect !== 'sqlite') describe('backfill with batches side by side', () => {
    const table = () => db.dataSource.getRepository(Souvenir).metadata.tablePath;
    /** `count` entries of user `b<n>` for each batch n = 1, 2, …, so stored rows tell their batch. */
    const batches = (count: number, size: number): BackfillEntry[] =>
      Array.from({ length: count * size }, (_, i) => ({ user: `b${Math.floor(i / size) + 1}`, when: at(i * MINUTE) }));
    const storedBatches = async () => [...new Set((await storedRows(db)).map((row) => row.userId))].sort();

    it.each([
      [1, 3],
      [2, 6],
    ])('with concurrency %i, reads at most %i entries while the first batch cannot be written', async (concurrency, readAhead) => {
      // Another session blocks every INSERT into the table until it lets go.
      const blocker = db.dataSource.createQueryRunner();
      await blocker.connect();
      const unblock =
        dialect === 'postgres'
          ? (await blocker.query(`BEGIN; LOCK TABLE ${table()} IN SHARE MODE`), () => blocker.query('COMMIT'))
          : (await blocker.query(`LOCK TABLES ${table()} READ`), () => blocker.query('UNLOCK TABLES'));
      let read = 0;
      const progress: number[] = [];
      const source = slowly(batches(4, 3), async () => {
        read += 1;
      });
      try {
        const backfill = activity.backfill(source, { batchSize: 3, concurrency, onProgress: (done) => progress.push(done) });
        const settled = backfill.then(() => undefined, () => undefined);
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(read).toBe(readAhead);
        expect(progress).toEqual([]);
        await unblock();
        expect(await backfill).toEqual({ added: 12, duplicated: 0 });
        await settled;
      } finally {
        await blocker.release();
      }
      expect(progress).toEqual([3, 6, 9, 12]);
      expect(await storedBatches()).toEqual(['b1', 'b2', 'b3', 'b4']);
    });

    it('on a database error, writes the batches before it and the one already started after it, and reports only those before', async () => {
      await db.dataSource.query(`ALTER TABLE ${table()} ADD CONSTRAINT souvenirs_no_b2 CHECK (user_id <> 'b2')`);
      try {
        const progress: number[] = [];
        await expect(
          activity.backfill(batches(5, 2), { batchSize: 2, concurrency: 2, onProgress: (done) => progress.push(done) }),
        ).rejects.toThrow(/souvenirs_no_b2|constraint/i);
        expect(progress).toEqual([2]);
        expect(await storedBatches()).toEqual(['b1', 'b3']);
      } finally {
        await db.dataSource.query(`ALTER TABLE ${table()} DROP CONSTRAINT souvenirs_no_b2`);
      }
    });

    it('with checkDuplicate skips an entry repeating one of a batch still being written', async () => {
      const pair = { user: 'u', when: T };
      const result = await activity.backfill([pair, { user: 'v', when: T }, pair, { user: 'w', when: T }, pair], {
        batchSize: 2,
        concurrency: 2,
        checkDuplicate: true,
      });
      expect(result).toEqual({ added: 3, duplicated: 2 });
      expect(await storedRows(db)).toHaveLength(3);
    });
  });
});
