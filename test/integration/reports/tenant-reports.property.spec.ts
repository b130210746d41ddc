import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { MemorySouvenirsStore } from '../../../lib/store/memory/memory-souvenirs.store.js';
import { RedisSouvenirsStore } from '../../../lib/store/redis/redis-souvenirs.store.js';
import type { SouvenirsStore } from '../../../lib/store/souvenirs-store.interface.js';
import { modelActiveUsers, modelLifecycle, modelRetention, modelStickiness, modelTenantsUsage, type ModelRow } from '../../support/analytics-model.js';
import { DIALECTS, createTestDatabase, type Dialect, type TestDatabase } from '../../support/databases.js';
import { deleteKeysWithPrefix, randomKeyPrefix } from '../../support/redis-test-keys.js';
import { clearSouvenirs } from '../activity/activity-test-kit.js';
import { createIndexedServices } from '../active-users/active-index-kit.js';

const DAY = 86_400_000;
const BASE = Date.UTC(2024, 1, 20);
const ZONES = ['UTC', 'Europe/Paris', 'Pacific/Chatham'];
const RUNS = Number(process.env.SOUVENIRS_TENANT_RUNS ?? 10);
// Hostile names too: a formula, a comma and a quote, accents, two differing only in case,
// and two whose code-unit order (ties are sorted by it) is not their code-point order.
const TENANTS = ['acme', 'Acme', '=SUM(A1),"x"', 'café', '\uff61', '\u{1F600}'];
const prefix = randomKeyPrefix();

interface TenantRow extends ModelRow {
  tenant: string | null;
}

// Users u0…u7 in several tenants each (and outside any), so a user active in two tenants
// must count once in each and once site-wide.
const scenario = fc.record({
  rows: fc.array(
    fc.record({
      userId: fc.integer({ min: 0, max: 7 }).map((n) => `u${n}`),
      when: fc.integer({ min: 0, max: 70 * DAY }).map((ms) => new Date(BASE + ms)),
      tenant: fc.option(fc.constantFrom(...TENANTS), { freq: 4 }),
    }),
    { maxLength: 50 },
  ),
  zone: fc.constantFrom(...ZONES),
  startMs: fc.integer({ min: -5 * DAY, max: 70 * DAY }),
  lengthMs: fc.integer({ min: 0, max: 60 * DAY }),
  kind: fc.constantFrom('day' as const, 'week' as const, 'month' as const),
});

/** Distinct users of `rows` in `[start, end)`. */
const distinct = (rows: readonly ModelRow[], start: Date, end: Date) => new Set(rows.filter((row) => row.when >= start && row.when < end).map((row) => row.userId)).size;

describe.each(DIALECTS)('tenant reports against a brute-force model on %s', (dialect: Dialect) => {
  let database: TestDatabase;
  let redis: Redis;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    redis = new Redis({ host: '127.0.0.1', port: 6379 });
  });
  afterAll(async () => {
    await deleteKeysWithPrefix(redis, prefix);
    await redis?.quit();
    await database?.drop();
  });

  // A fresh store per run: the indexes are derived from the table, which each run rewrites.
  const stores: Record<string, () => SouvenirsStore> = {
    memory: () => new MemorySouvenirsStore(),
    redis: () => new RedisSouvenirsStore({ redis, keyPrefix: `${prefix}:${randomKeyPrefix('run')}` }),
  };

  it.each(Object.keys(stores))(
    'with the %s store: forTenant reports, tenantsUsage and activeTenants equal the model',
    async (storeName) => {
      await fc.assert(
        fc.asyncProperty(scenario, async ({ rows, zone, startMs, lengthMs, kind }) => {
          await clearSouvenirs(database);
          const store = stores[storeName]();
          const { activity, reports } = createIndexedServices(database, store, { timeZone: zone, now: () => new Date(BASE + 90 * DAY) });
          try {
            if (rows.length > 0) await activity.backfill(rows.map(({ userId, when, tenant }) => ({ user: userId, when, tenant })));
            const start = new Date(BASE + startMs);
            const end = new Date(BASE + startMs + lengthMs);
            for (const tenant of TENANTS) {
              const own = rows.filter((row) => row.tenant === tenant);
              const scoped = reports.forTenant(tenant);
              const [usage] = await scoped.usageForPeriods([[start, end]]);
              expect(usage.usage.activeUsers).toBe(distinct(own, start, end));
              expect(await scoped.activeUsers({ start, end })).toEqual(modelActiveUsers(own, start, end, zone));
              expect(await scoped.retention({ start, end, period: kind })).toEqual(modelRetention(own, start, end, kind, 'classic', zone, 1));
              expect(await scoped.lifecycle({ start, end, period: kind })).toEqual(modelLifecycle(own, start, end, kind, zone, 1));
              const sticky = kind === 'month' ? 'month' : 'week';
              expect(await scoped.stickiness({ start, end, period: sticky })).toEqual(modelStickiness(own, start, end, sticky, zone, 1));
            }
            // Site-wide, a user in two tenants counts once.
            expect(await reports.activeUsers({ start, end })).toEqual(modelActiveUsers(rows, start, end, zone));
            expect(await reports.tenantsUsage({ start, end })).toEqual(modelTenantsUsage(rows, start, end));
            // Tenants as the members of each day: a tenant is active when any of its users is.
            const tenantRows = rows.flatMap((row) => (row.tenant === null ? [] : [{ userId: row.tenant, when: row.when }]));
            expect(await reports.activeTenants({ start, end })).toEqual(modelActiveUsers(tenantRows, start, end, zone));
          } finally {
            await (store as { onModuleDestroy?: () => unknown }).onModuleDestroy?.();
          }
        }),
        { numRuns: RUNS },
      );
    },
    240_000,
  );
});
