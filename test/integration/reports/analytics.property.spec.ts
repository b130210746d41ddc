import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import type { Repository } from 'typeorm';
import { ActiveUsersIndex } from '../../../lib/active-users/active-users.index.js';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { ActiveDaySets } from '../../../lib/active-users/active-day-sets.js';
import { AnalyticsReports } from '../../../lib/reports/analytics.reports.js';
import { MemorySouvenirsStore } from '../../../lib/store/memory/memory-souvenirs.store.js';
import { RedisSouvenirsStore } from '../../../lib/store/redis/redis-souvenirs.store.js';
import type { SouvenirsStore } from '../../../lib/store/souvenirs-store.interface.js';
import { SouvenirsCalendar } from '../../../lib/calendar/souvenirs-calendar.js';
import { resolveSouvenirsOptions } from '../../../lib/souvenirs.options.js';
import { modelActiveUsers, modelLifecycle, modelRetention, modelStickiness, type ModelRow } from '../../support/analytics-model.js';
import { DIALECTS, createTestDatabase, type Dialect } from '../../support/databases.js';
import { deleteKeysWithPrefix, randomKeyPrefix } from '../../support/redis-test-keys.js';

const DAY = 86_400_000;
// Around the spring DST changes of 2024: New York 10 March, Paris 31 March, Sydney and Chatham 7 April.
const BASE = Date.UTC(2024, 1, 20);
const ZONES = ['UTC', 'Europe/Paris', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'Pacific/Chatham'];
const RUNS = Number(process.env.SOUVENIRS_ANALYTICS_RUNS ?? 12);
const prefix = randomKeyPrefix();

const scenario = fc.record({
  rows: fc.array(
    fc.record({ userId: fc.integer({ min: 0, max: 11 }).map((n) => `u${n}`), when: fc.integer({ min: 0, max: 80 * DAY }).map((ms) => new Date(BASE + ms)) }),
    { maxLength: 60 },
  ),
  zone: fc.constantFrom(...ZONES),
  weekStart: fc.integer({ min: 1, max: 7 }),
  startMs: fc.integer({ min: -5 * DAY, max: 80 * DAY }),
  lengthMs: fc.integer({ min: 0, max: 70 * DAY }),
  kind: fc.constantFrom('day' as const, 'week' as const, 'month' as const),
  mode: fc.constantFrom('classic' as const, 'unbounded' as const),
});

describe.each(DIALECTS)('active-user analytics against a brute-force model on %s', (dialect: Dialect) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let repository: Repository<Souvenir>;
  let redis: Redis;

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    repository = database.dataSource.getRepository(Souvenir);
    redis = new Redis({ host: '127.0.0.1', port: 6379 });
  });
  afterAll(async () => {
    await deleteKeysWithPrefix(redis, prefix);
    await redis?.quit();
    await database?.drop();
  });

  // A fresh store per run: the index is derived from the table, which each run rewrites.
  const stores: Record<string, () => SouvenirsStore> = {
    memory: () => new MemorySouvenirsStore(),
    redis: () => new RedisSouvenirsStore({ redis, keyPrefix: `${prefix}:${randomKeyPrefix('run')}` }),
  };

  it.each(Object.keys(stores))('with the %s store: activeUsers, retention, lifecycle and stickiness equal the model', async (storeName) => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ rows, zone, weekStart, startMs, lengthMs, kind, mode }) => {
        await repository.createQueryBuilder().delete().execute();
        if (rows.length > 0) await repository.insert(rows);
        const store = stores[storeName]();
        const calendar = new SouvenirsCalendar(resolveSouvenirsOptions({ timeZone: zone, weekStart }));
        const index = new ActiveUsersIndex(repository, store, calendar);
        const reports = new AnalyticsReports(calendar, new ActiveDaySets(repository, index));
        const start = new Date(BASE + startMs);
        const end = new Date(BASE + startMs + lengthMs);
        const model: ModelRow[] = rows;
        try {
          expect(await reports.activeUsers({ start, end })).toEqual(modelActiveUsers(model, start, end, zone));
          expect(await reports.retention({ start, end, period: kind, mode })).toEqual(modelRetention(model, start, end, kind, mode, zone, weekStart));
          expect(await reports.lifecycle({ start, end, period: kind })).toEqual(modelLifecycle(model, start, end, kind, zone, weekStart));
          const sticky = kind === 'month' ? 'month' : 'week';
          expect(await reports.stickiness({ start, end, period: sticky })).toEqual(modelStickiness(model, start, end, sticky, zone, weekStart));
        } finally {
          await (store as { onModuleDestroy?: () => unknown }).onModuleDestroy?.();
        }
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});
