import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { ActivityService } from '../../../lib/activity/activity.service.js';
import { InvalidBackfillEntryError } from '../../../lib/errors/invalid-backfill-entry.error.js';
import { InvalidTenantError } from '../../../lib/errors/invalid-tenant.error.js';
import { MemorySouvenirsStore } from '../../../lib/store/memory/memory-souvenirs.store.js';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../support/databases.js';
import { ClaimFailingStore } from '../../support/store-delegates.js';
import { clearSouvenirs, createService, createTestStore, HOUR, MINUTE, STORE_KINDS, TestClock, type TestStore } from './activity-test-kit.js';

// Activity in tenants (issue 19): `souvenez(user, { tenant })`, backfill entries with a tenant,
// the rate limit per (user, tenant) in the store and in the per-process stand-in, counts per
// tenant and site-wide (a user active in two tenants counts once in each and once site-wide),
// and tenants refused with InvalidTenantError before anything is claimed or written.

const T = new Date('2026-03-01T09:00:00.000Z');
const at = (offsetMs: number) => new Date(T.getTime() + offsetMs);
const DAY = { start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-03-02T00:00:00Z') };

async function storedTenantRows(db: TestDatabase): Promise<Array<[string, string, string | null]>> {
  const rows = await db.dataSource.getRepository(Souvenir).find({ order: { when: 'ASC', id: 'ASC' } });
  return rows.map((row) => [row.userId, row.when.toISOString(), row.tenant]);
}

describe.each(DIALECTS)('ActivityService tenants on %s', (dialect) => {
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

    beforeEach(async () => {
      await clearSouvenirs(db);
      testStore = await createTestStore(storeKind);
      activity = createService(db, testStore.store, { now: new TestClock(T).now });
    });

    afterEach(async () => {
      await testStore.close();
    });

    it('rate-limits per user and tenant: one row per (user, tenant) per window', async () => {
      expect(await activity.souvenez('u', { when: T, tenant: 'acme' })).toBe('added');
      expect(await activity.souvenez('u', { when: at(MINUTE), tenant: 'acme' })).toBe('rate-limited');
      expect(await activity.souvenez('u', { when: at(2 * MINUTE), tenant: 'globex' })).toBe('added');
      expect(await activity.souvenez('u', { when: at(3 * MINUTE) })).toBe('added');
      expect(await activity.souvenez('u', { when: at(4 * MINUTE) })).toBe('rate-limited');
      expect(await activity.souvenez('u', { when: at(5 * MINUTE), tenant: null })).toBe('rate-limited');
      expect(await activity.souvenez('u', { when: at(HOUR), tenant: 'acme' })).toBe('added');
      expect(await storedTenantRows(db)).toEqual([
        ['u', T.toISOString(), 'acme'],
        ['u', at(2 * MINUTE).toISOString(), 'globex'],
        ['u', at(3 * MINUTE).toISOString(), null],
        ['u', at(HOUR).toISOString(), 'acme'],
      ]);
    });

    it('counts a user active in two tenants once in each and once site-wide', async () => {
      await activity.souvenez('ann', { when: T, tenant: 'acme' });
      await activity.souvenez('ann', { when: at(MINUTE), tenant: 'globex' });
      await activity.souvenez('bob', { when: at(2 * MINUTE), tenant: 'acme' });
      await activity.souvenez('cy', { when: at(3 * MINUTE) });
      expect(await activity.countActiveUsers({ ...DAY, tenant: 'acme' })).toBe(2);
      expect(await activity.countActiveUsers({ ...DAY, tenant: 'globex' })).toBe(1);
      expect(await activity.countActiveUsers({ ...DAY, tenant: 'initech' })).toBe(0);
      expect(await activity.countActiveUsers(DAY)).toBe(3);
      expect(await activity.countActiveUsers({ tenant: 'acme' })).toBe(2);
      expect(await activity.countActiveUsers()).toBe(3);
      // Off midnight: only bob's row of acme lies in [T+1 min, T+1 h).
      expect(await activity.countActiveUsers({ start: at(MINUTE), end: at(HOUR), tenant: 'acme' })).toBe(1);
      expect(await activity.countActiveUsers({ start: at(MINUTE), end: at(HOUR), tenant: null })).toBe(3);
    });

    it('backfills entries with and without a tenant, checking duplicates per tenant', async () => {
      const entries = [
        { user: 'ann', when: T, tenant: 'acme' },
        { user: 'ann', when: T, tenant: 'globex' },
        { user: 'ann', when: T },
        { user: 'bob', when: at(HOUR), tenant: 'acme' },
      ];
      expect(await activity.backfill(entries)).toEqual({ added: 4, duplicated: 0 });
      expect(await activity.backfill([...entries, { user: 'bob', when: at(HOUR), tenant: 'globex' }], { checkDuplicate: true })).toEqual({ added: 1, duplicated: 4 });
      expect(await activity.souvenez('ann', { when: T, tenant: 'initech', checkDuplicate: true, ratelimit: false })).toBe('added');
      expect(await activity.souvenez('ann', { when: T, tenant: 'acme', checkDuplicate: true, ratelimit: false })).toBe('duplicated');
      expect(await activity.countActiveUsers({ ...DAY, tenant: 'acme' })).toBe(2);
      expect(await activity.countActiveUsers({ ...DAY, tenant: 'globex' })).toBe(2);
      expect(await activity.countActiveUsers(DAY)).toBe(2);
      expect((await storedTenantRows(db)).length).toBe(6);
    });
  });

  describe('with the store unreachable (the per-process stand-in)', () => {
    it('still limits per user and tenant', async () => {
      await clearSouvenirs(db);
      const memory = new MemorySouvenirsStore();
      const failing = new ClaimFailingStore(memory);
      const activity = createService(db, failing, { now: new TestClock(T).now });
      try {
        expect(await activity.souvenez('u', { when: T, tenant: 'acme' })).toBe('added');
        expect(await activity.souvenez('u', { when: at(MINUTE), tenant: 'acme' })).toBe('rate-limited');
        expect(await activity.souvenez('u', { when: at(2 * MINUTE), tenant: 'globex' })).toBe('added');
        expect(await activity.souvenez('u', { when: at(3 * MINUTE) })).toBe('added');
        expect(await activity.souvenez('u', { when: at(4 * MINUTE) })).toBe('rate-limited');
        // The store is back: the windows this process wrote still hold, per tenant.
        failing.failing = false;
        expect(await activity.souvenez('u', { when: at(5 * MINUTE), tenant: 'globex' })).toBe('rate-limited');
        expect(await activity.souvenez('u', { when: at(6 * MINUTE), tenant: 'initech' })).toBe('added');
        expect((await storedTenantRows(db)).map(([, , tenant]) => tenant)).toEqual(['acme', 'globex', null, 'initech']);
      } finally {
        memory.onModuleDestroy();
      }
    });
  });

  describe('refuses a bad tenant with InvalidTenantError, claiming and writing nothing', () => {
    let testStore: TestStore;
    let activity: ActivityService;

    beforeEach(async () => {
      await clearSouvenirs(db);
      testStore = await createTestStore('memory');
      activity = createService(db, testStore.store, { now: new TestClock(T).now });
    });

    afterEach(async () => {
      await testStore.close();
    });

    const BAD: Array<[string, unknown, string]> = [
      ['an empty string', '', 'empty'],
      ['a number', 42, 'not-a-string'],
      ['an object', { id: 'acme' }, 'not-a-string'],
      ['256 characters', 'x'.repeat(256), 'too-long'],
      ['a NUL', 'ac\u0000me', 'unstorable'],
      ['a lone surrogate', 'acme\uD800', 'unstorable'],
    ];

    it.each(BAD)('in souvenez: %s', async (_name, tenant, reason) => {
      const call = activity.souvenez('u', { when: T, tenant: tenant as string });
      await expect(call).rejects.toThrow(InvalidTenantError);
      await expect(call).rejects.toMatchObject({ reason, maxLength: 255 });
      expect(await storedTenantRows(db)).toEqual([]);
      // No claim was taken: a valid call in any tenant is written.
      expect(await activity.souvenez('u', { when: T, tenant: 'acme' })).toBe('added');
    });

    it.each(BAD)('in a backfill entry: %s (InvalidBackfillEntryError naming it)', async (_name, tenant) => {
      const call = activity.backfill([{ user: 'u', when: T, tenant: 'acme' }, { user: 'u', when: T, tenant: tenant as string }]);
      await expect(call).rejects.toThrow(InvalidBackfillEntryError);
      await expect(call).rejects.toThrow(/entry #2 is invalid: Invalid tenant/);
      expect(await storedTenantRows(db)).toEqual([]);
    });

    it.each(BAD)('in countActiveUsers: %s', async (_name, tenant) => {
      await expect(activity.countActiveUsers({ ...DAY, tenant: tenant as string })).rejects.toThrow(InvalidTenantError);
    });

    it('takes 255 characters (code points, an astral one counting once)', async () => {
      const tenant = '\u{1F600}'.repeat(255);
      expect(await activity.souvenez('u', { when: T, tenant })).toBe('added');
      expect(await activity.countActiveUsers({ ...DAY, tenant })).toBe(1);
      expect((await storedTenantRows(db))[0][2]).toBe(tenant);
    });
  });
});
