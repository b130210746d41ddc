import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Cluster, Redis } from 'ioredis';
import { In } from 'typeorm';
import { MemorySouvenirsStore } from '../../../lib/store/memory/memory-souvenirs.store.js';
import { RedisSouvenirsStore } from '../../../lib/store/redis/redis-souvenirs.store.js';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { modelTenantsUsage } from '../../support/analytics-model.js';
import { createTestDatabase, DIALECTS, type Dialect, type TestDatabase } from '../../support/databases.js';
import { startRedisCluster, type TestRedisCluster } from '../../support/redis-cluster.js';
import { deleteKeysWithPrefix, randomKeyPrefix } from '../../support/redis-test-keys.js';
import { clearSouvenirs, REDIS_URL } from '../activity/activity-test-kit.js';
import { createIndexedServices } from './active-index-kit.js';

// The per-tenant index (issue 19): `countActiveUsers({ tenant })` answered from an index of the
// tenant's rows, under the store's namespace of that tenant (its own user numbering and, on Redis,
// its own hash slot), with the site-wide index's invariants; site-wide counts unchanged (a user
// active in two tenants counts once). On memory, Redis and a 3-master Cluster, over SQLite,
// PostgreSQL and MariaDB.

type StoreKind = 'memory' | 'redis' | 'cluster';
const STORE_KINDS: StoreKind[] = ['memory', 'redis', 'cluster'];
const DAY_MS = 86_400_000;
const T = Date.UTC(2026, 2, 2, 9);

let cluster: TestRedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

interface TestStore {
  store: MemorySouvenirsStore | RedisSouvenirsStore;
  client: Redis | Cluster | null;
  keyPrefix: string;
  close(): Promise<void>;
}

async function createStore(kind: StoreKind): Promise<TestStore> {
  const keyPrefix = randomKeyPrefix('test-tenants');
  if (kind === 'memory') {
    const store = new MemorySouvenirsStore();
    return { store, client: null, keyPrefix, close: async () => store.onModuleDestroy() };
  }
  const client = kind === 'redis' ? new Redis(REDIS_URL) : new Cluster([...cluster.nodes]);
  const store = new RedisSouvenirsStore({ redis: client, keyPrefix });
  return {
    store,
    client,
    keyPrefix,
    close: async () => {
      // The cluster is this file's own, thrown away at its end; the shared Redis is cleaned.
      if (client instanceof Redis) await deleteKeysWithPrefix(client, keyPrefix);
      await client.quit();
    },
  };
}

/** The billing run over the stored rows. */
async function modelUsage(db: TestDatabase, start: Date, end: Date): Promise<Array<{ tenant: string; activeUsers: number }>> {
  return modelTenantsUsage(await db.dataSource.getRepository(Souvenir).find(), start, end);
}

/** The distinct users of the stored rows in `[start, end)`, of `tenant` (`undefined`: every row). */
async function model(db: TestDatabase, start: Date, end: Date, tenant?: string): Promise<number> {
  const rows = await db.dataSource.getRepository(Souvenir).find();
  return new Set(rows.filter((row) => row.when >= start && row.when < end && (tenant === undefined || row.tenant === tenant)).map((row) => row.userId)).size;
}

describe.each(DIALECTS)('the per-tenant index on %s', (dialect: Dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await db?.drop();
  });

  describe.each(STORE_KINDS)('with the %s store', (kind) => {
    it('answers a tenant from its own index, and reindex rebuilds the tenants\u2019 days of its range', async () => {
      await clearSouvenirs(db);
      const { store, close } = await createStore(kind);
      try {
        const { activity, reports } = createIndexedServices(db, store);
        const day = { start: new Date(Date.UTC(2026, 2, 2)), end: new Date(Date.UTC(2026, 2, 3)) };
        await activity.souvenez('ann', { when: new Date(T), tenant: 'acme' });
        await activity.souvenez('ann', { when: new Date(T + 60_000), tenant: 'globex' });
        await activity.souvenez('bob', { when: new Date(T + 120_000), tenant: 'acme' });
        await activity.backfill([{ user: 'cy', when: new Date(T + 180_000), tenant: 'acme' }]);
        expect(await activity.countActiveUsers({ ...day, tenant: 'acme' })).toBe(3);
        expect(await activity.countActiveUsers({ ...day, tenant: 'globex' })).toBe(1);
        expect(await activity.countActiveUsers(day)).toBe(3);
        expect(await reports.tenantsUsage(day)).toEqual([{ tenant: 'acme', activeUsers: 3 }, { tenant: 'globex', activeUsers: 1 }]);
        // Rows deleted behind the module's back: the index still holds them (it answers, not SQL)…
        await db.dataSource.getRepository(Souvenir).delete({ userId: In(['bob', 'cy']) });
        expect(await activity.countActiveUsers({ ...day, tenant: 'acme' })).toBe(3);
        // …the billing run's pairs index too (the edge hours of a range off midnight come from SQL)…
        expect(await reports.tenantsUsage(day)).toEqual([{ tenant: 'acme', activeUsers: 3 }, { tenant: 'globex', activeUsers: 1 }]);
        expect(await reports.tenantsUsage({ start: day.start, end: new Date(T + 150_000) })).toEqual([{ tenant: 'acme', activeUsers: 1 }, { tenant: 'globex', activeUsers: 1 }]);
        // …until a reindex of the range rebuilds the site's and the tenants' days.
        await activity.reindex(day);
        expect(await activity.countActiveUsers({ ...day, tenant: 'acme' })).toBe(1);
        expect(await activity.countActiveUsers({ ...day, tenant: 'globex' })).toBe(1);
        expect(await activity.countActiveUsers(day)).toBe(1);
        expect(await reports.tenantsUsage(day)).toEqual([{ tenant: 'acme', activeUsers: 1 }, { tenant: 'globex', activeUsers: 1 }]);
      } finally {
        await close();
      }
    });

    it('a reindex by another process rebuilds a tenant whose rows all left by plain SQL, though that process never counted it', async () => {
      await clearSouvenirs(db);
      const { store, close } = await createStore(kind);
      try {
        const counting = createIndexedServices(db, store).activity;
        const day = { start: new Date(Date.UTC(2026, 2, 2)), end: new Date(Date.UTC(2026, 2, 3)) };
        await counting.souvenez('ann', { when: new Date(T), tenant: 'acme' });
        await counting.souvenez('bob', { when: new Date(T + 60_000), tenant: 'initech' });
        expect(await counting.countActiveUsers({ ...day, tenant: 'initech' })).toBe(1);
        // Every row of the tenant deleted behind the module's back: SQL no longer names it.
        await db.dataSource.getRepository(Souvenir).delete({ tenant: 'initech' });
        // The operator's reindex runs in a fresh process (the CLI): it knows the tenant only from the store.
        await createIndexedServices(db, store).activity.reindex(day);
        expect(await createIndexedServices(db, store).activity.countActiveUsers({ ...day, tenant: 'initech' })).toBe(0);
        expect(await createIndexedServices(db, store).reports.tenantsUsage(day)).toEqual([{ tenant: 'acme', activeUsers: 1 }]);
        expect(await counting.countActiveUsers({ ...day, tenant: 'acme' })).toBe(1);
      } finally {
        await close();
      }
    });

    it("numbers each tenant's users on their own: a tenant's day is as wide as the tenant, not the site", async () => {
      await clearSouvenirs(db);
      const { store, close } = await createStore(kind);
      try {
        const { activity } = createIndexedServices(db, store);
        const big = Array.from({ length: 200 }, (_, i) => ({ user: `big-${i}`, when: new Date(T), tenant: 'big' }));
        const small = Array.from({ length: 50 }, (_, i) => ({ user: `small-${i}`, when: new Date(T), tenant: 'small' }));
        await activity.backfill([...big, ...small]);
        const day = { start: new Date(Date.UTC(2026, 2, 2)), end: new Date(Date.UTC(2026, 2, 3)) };
        expect(await activity.countActiveUsers({ ...day, tenant: 'small' })).toBe(50);
        expect(await activity.countActiveUsers(day)).toBe(250);
        const id = 'UTC/2026-03-02';
        const users = small.map(({ user }) => user);
        // The site numbers them past the big tenant's 200 (on a Cluster, over its shards' ranges:
        // past 200 too); the tenant's namespace from its first numbers (a store may keep one or two
        // for itself): a 7-byte day, not a 32-byte one.
        const site = (await store.readActiveDays!([id], users)).users as number[];
        expect(kind === 'cluster' ? Math.max(...site) : Math.min(...site)).toBeGreaterThan(200);
        const numbers = (await store.activeDaysIn('t:small').readActiveDays!([id], users)).users as number[];
        expect(new Set(numbers).size).toBe(50);
        expect(Math.max(...numbers)).toBeLessThanOrEqual(52);
        expect((await store.activeDaysIn('t:small').readActiveDays!([id], [])).days[0]!.count()).toBe(50);
      } finally {
        await close();
      }
    });
  });
});

describe('the per-tenant index on a 3-master Redis Cluster', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('spreads the keys of 100 tenants over more than one master (every master, here)', async () => {
    const { store, client, keyPrefix, close } = await createStore('cluster');
    try {
      const { activity } = createIndexedServices(db, store);
      const tenants = Array.from({ length: 100 }, (_, i) => `tenant-${i}`);
      await activity.backfill(tenants.flatMap((tenant, i) => [0, 1, 2].map((u) => ({ user: `u-${i}-${u}`, when: new Date(T), tenant }))));
      const day = { start: new Date(Date.UTC(2026, 2, 2)), end: new Date(Date.UTC(2026, 2, 3)) };
      for (const tenant of tenants) expect(await activity.countActiveUsers({ ...day, tenant })).toBe(3);
      const masters = (client as Cluster).nodes('master');
      const tenantKeys = await Promise.all(masters.map(async (node) => (await node.keys(`${keyPrefix}*{activity:t:*`)).length));
      expect(masters).toHaveLength(3);
      expect(tenantKeys.filter((n) => n > 0).length).toBeGreaterThan(1);
      expect(tenantKeys.every((n) => n > 0)).toBe(true);
    } finally {
      await close();
    }
  });
});

describe('the per-tenant index against a brute-force model', () => {
  const USERS = ['a', 'b', 'c', 'd', 'e', 'f'];
  const TENANTS = [null, 'acme', 'globex', 'x{y}'];
  const WINDOW_START = Date.UTC(2026, 2, 1);
  const instant = fc.integer({ min: 0, max: 6 * DAY_MS }).map((ms) => new Date(WINDOW_START + ms));
  const row = fc.record({ user: fc.constantFrom(...USERS), when: instant, tenant: fc.constantFrom(...TENANTS), via: fc.constantFrom('backfill', 'souvenez') });
  const range = fc.oneof(
    fc.tuple(instant, instant).map(([x, y]) => (x <= y ? [x, y] : [y, x]) as [Date, Date]),
    fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 6 })).map(([from, days]) => [new Date(WINDOW_START + from * DAY_MS), new Date(WINDOW_START + (from + days) * DAY_MS)] as [Date, Date]),
  );
  const CASES: [Dialect, StoreKind, number][] = [
    ['sqlite', 'memory', 20],
    ['sqlite', 'redis', 10],
    ['postgres', 'cluster', 6],
    ['mariadb', 'redis', 6],
  ];

  describe.each(CASES)('on %s with the %s store', (dialect, kind, numRuns) => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase(dialect);
    });
    afterAll(async () => {
      await db?.drop();
    });

    it('every tenant count and every site-wide count equals the distinct users of the stored rows, before and after rows change behind its back', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(row, { maxLength: 30 }), fc.array(range, { minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 5 }), async (rows, ranges, dropped) => {
          await clearSouvenirs(db);
          const { store, close } = await createStore(kind);
          try {
            const { activity, reports } = createIndexedServices(db, store);
            const check = async () => {
              for (const [start, end] of ranges) {
                expect(await reports.tenantsUsage({ start, end })).toEqual(await modelUsage(db, start, end));
                for (const tenant of TENANTS) {
                  const expected = await model(db, start, end, tenant ?? undefined);
                  expect([start.toISOString(), end.toISOString(), tenant, await activity.countActiveUsers({ start, end, tenant })]).toEqual([start.toISOString(), end.toISOString(), tenant, expected]);
                }
              }
            };
            for (const slice of [rows.slice(0, rows.length >> 1), rows.slice(rows.length >> 1)]) {
              await activity.backfill(slice.filter(({ via }) => via === 'backfill').map(({ user, when, tenant }) => ({ user, when, tenant })), { batchSize: 5 });
              for (const { user, when, tenant, via } of slice) if (via === 'souvenez') await activity.souvenez(user, { when, tenant, ratelimit: 3600 });
              await check();
            }
            // A user's rows deleted by plain SQL, then a reindex of the window: every count follows.
            await db.dataSource.getRepository(Souvenir).delete({ userId: USERS[dropped] });
            await activity.reindex({ start: new Date(WINDOW_START), end: new Date(WINDOW_START + 7 * DAY_MS) });
            await check();
          } finally {
            await close();
          }
        }),
        { numRuns },
      );
    }, 240_000);
  });
});
