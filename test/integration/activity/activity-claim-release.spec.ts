import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { QueryFailedError } from 'typeorm';
import type { ActivityService } from '../../../lib/activity/activity.service.js';
import { createTestDatabase, DIALECTS, type Dialect, type TestDatabase } from '../../support/databases.js';
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
const at = (offsetMs: number) => new Date(T.getTime() + offsetMs);

/** Renames the souvenirs table for real, so every query on it fails in the database. */
async function renameTable(db: TestDatabase, dialect: Dialect, from: string, to: string): Promise<void> {
  if (dialect === 'mariadb') {
    await db.dataSource.query(`RENAME TABLE \`${from}\` TO \`${to}\``);
    return;
  }
  const schema = dialect === 'postgres' ? `"${(db.options as { schema: string }).schema}".` : '';
  await db.dataSource.query(`ALTER TABLE ${schema}"${from}" RENAME TO "${to}"`);
}

describe.each(DIALECTS)('ActivityService releases the rate-limit claim of a failed write on %s', (dialect) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
  });

  afterAll(async () => {
    await db?.drop();
  });

  describe.each(STORE_KINDS)('with the %s store', (storeKind) => {
    let testStore: TestStore;
    let activity: ActivityService;
    let tableAway = false;

    const takeTableAway = async () => {
      await renameTable(db, dialect, 'souvenirs', 'souvenirs_away');
      tableAway = true;
    };
    const bringTableBack = async () => {
      await renameTable(db, dialect, 'souvenirs_away', 'souvenirs');
      tableAway = false;
    };

    beforeEach(async () => {
      await clearSouvenirs(db);
      testStore = await createTestStore(storeKind);
      activity = createService(db, testStore.store, { now: new TestClock(T).now });
    });

    afterEach(async () => {
      if (tableAway) await bringTableBack();
      await testStore.close();
    });

    it('rejects with the database error, and the next call for that user writes the row', async () => {
      await takeTableAway();
      await expect(activity.souvenez('u', { when: T })).rejects.toThrow(QueryFailedError);
      await bringTableBack();

      // Without the release, this would be 'rate-limited' by the failed call's claim.
      expect(await activity.souvenez('u', { when: T })).toBe('added');
      expect(await storedRows(db)).toEqual([{ userId: 'u', when: T.toISOString() }]);
    });

    it('restores the previous window rather than clearing it', async () => {
      expect(await activity.souvenez('u', { when: T })).toBe('added');
      await takeTableAway();
      await expect(activity.souvenez('u', { when: at(2 * HOUR) })).rejects.toThrow(QueryFailedError);
      await bringTableBack();

      expect(await activity.souvenez('u', { when: at(30 * MINUTE) })).toBe('rate-limited');
      expect(await activity.souvenez('u', { when: at(2 * HOUR) })).toBe('added');
      expect((await storedRows(db)).map((row) => row.when)).toEqual([T.toISOString(), at(2 * HOUR).toISOString()]);
    });

    it('releases when the duplicate check fails too', async () => {
      await takeTableAway();
      await expect(activity.souvenez('u', { when: T, checkDuplicate: true })).rejects.toThrow(QueryFailedError);
      await bringTableBack();

      expect(await activity.souvenez('u', { when: T, checkDuplicate: true })).toBe('added');
      expect(await storedRows(db)).toHaveLength(1);
    });
  });
});
