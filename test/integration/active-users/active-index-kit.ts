import { afterAll, afterEach, beforeAll, beforeEach } from '@jest/globals';
import { Redis } from 'ioredis';
import { ActiveDaySets } from '../../../lib/active-users/active-day-sets.js';
import { AnalyticsReports } from '../../../lib/reports/analytics.reports.js';
import { ActiveUsersIndex } from '../../../lib/active-users/active-users.index.js';
import { ActivityService } from '../../../lib/activity/activity.service.js';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { ReportsService } from '../../../lib/reports/reports.service.js';
import { SouvenirsCalendar } from '../../../lib/calendar/souvenirs-calendar.js';
import type { SouvenirsModuleOptions } from '../../../lib/souvenirs.options.js';
import { MemorySouvenirsStore } from '../../../lib/store/memory/memory-souvenirs.store.js';
import { RedisSouvenirsStore } from '../../../lib/store/redis/redis-souvenirs.store.js';
import type { SouvenirsStore } from '../../../lib/store/souvenirs-store.interface.js';
import { createTestDatabase, type Dialect, type TestDatabase } from '../../support/databases.js';
import { randomKeyPrefix } from '../../support/redis-test-keys.js';
import { startStandaloneRedis, type StandaloneRedis } from '../../support/standalone-redis.js';
import { startSwitchableProxy, type SwitchableProxy } from '../../support/switchable-proxy.js';
import { clearSouvenirs, resolvedOptions } from '../activity/activity-test-kit.js';

/** The services as the module wires them: one index shared by activity and reports. */
export interface IndexedServices {
  activity: ActivityService;
  reports: ReportsService;
  index: ActiveUsersIndex;
}

export function createIndexedServices(
  db: TestDatabase,
  store: SouvenirsStore,
  overrides: Pick<SouvenirsModuleOptions, 'timeZone' | 'now' | 'rateLimitSeconds' | 'weekStart'> = {},
): IndexedServices {
  const options = resolvedOptions(overrides);
  const calendar = new SouvenirsCalendar(options);
  const repository = db.dataSource.getRepository(Souvenir);
  const index = new ActiveUsersIndex(repository, store, calendar);
  return {
    index,
    activity: new ActivityService(repository, store, options, calendar, index),
    reports: new ReportsService(
      repository,
      options,
      calendar,
      null,
      index,
      new AnalyticsReports(calendar, new ActiveDaySets(repository, index)),
    ),
  };
}

/** Distinct users of the stored rows in `[start, end)`: the brute-force model, read back from SQL. */
export async function modelCount(db: TestDatabase, start: Date, end: Date): Promise<number> {
  const rows = await db.dataSource.getRepository(Souvenir).find();
  return new Set(rows.filter((row) => row.when >= start && row.when < end).map((row) => row.userId)).size;
}

/** Inserts rows behind the module's back, as plain SQL would (no index update). */
export async function insertBehindTheBack(db: TestDatabase, rows: { userId: string; when: Date; tenant?: string }[]): Promise<void> {
  await db.dataSource.createQueryBuilder().insert().into(Souvenir).values(rows).execute();
}

/** What every index suite of one dialect shares: its database, and a Redis server of its own behind a proxy that can cut it. */
export interface IndexSuite {
  db: TestDatabase;
  redis: StandaloneRedis;
  proxy: SwitchableProxy;
}

/** Registers the hooks of an index suite on `dialect` (souvenirs cleared before each test); its parts are set before the first test. */
export function useIndexSuite(dialect: Dialect): IndexSuite {
  const suite = {} as IndexSuite;
  beforeAll(async () => {
    [suite.db, suite.redis] = await Promise.all([createTestDatabase(dialect), startStandaloneRedis()]);
    suite.proxy = await startSwitchableProxy({ host: '127.0.0.1', port: suite.redis.port });
  });
  afterAll(async () => {
    await suite.proxy?.close();
    await suite.redis?.kill();
    await suite.db?.drop();
  });
  beforeEach(async () => {
    await clearSouvenirs(suite.db);
  });
  return suite;
}

/** A store and the services around it, made anew for each test; `raw` talks to the suite's Redis directly (FLUSHALL). */
export interface IndexedStore {
  store: MemorySouvenirsStore | RedisSouvenirsStore;
  services: IndexedServices;
  raw: Redis;
}

/**
 * Registers hooks making, for each test, a store of `kind` with its services in `timeZone`:
 * `'memory'`, `'redis'` (the suite's Redis), or `'cut-able redis'` (the same Redis through the
 * suite's proxy, which a test can cut; resumed after each test).
 */
export function useIndexedStore(suite: IndexSuite, kind: 'memory' | 'redis' | 'cut-able redis', timeZone: string): IndexedStore {
  const made = {} as IndexedStore;
  beforeEach(() => {
    made.raw = new Redis(suite.redis.url);
    made.store =
      kind === 'memory'
        ? new MemorySouvenirsStore()
        : new RedisSouvenirsStore({
            redis: kind === 'redis' ? suite.redis.url : { port: suite.proxy.port, host: '127.0.0.1', retryStrategy: () => 50 },
            keyPrefix: randomKeyPrefix(),
          });
    made.services = createIndexedServices(suite.db, made.store, { timeZone });
  });
  afterEach(async () => {
    await suite.proxy.resume();
    await closeStore(made.store);
    await made.raw.quit();
  });
  return made;
}

/** Waits (at most 10 s) until `store` answers again through the suite's proxy, after it was cut. */
export async function waitUntilStoreAnswers({ store, raw }: IndexedStore): Promise<void> {
  const deadline = Date.now() + 10_000;
  const answers = async () => (await raw.ping()) === 'PONG' && store.readCounters([{ key: 'k', field: 'f' }]).then(() => true, () => false);
  while (!(await answers())) {
    if (Date.now() > deadline) throw new Error('the store did not answer within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Stops a store the test made: the memory store's sweep, or the Redis store's own client. */
async function closeStore(store: MemorySouvenirsStore | RedisSouvenirsStore): Promise<void> {
  if (store instanceof RedisSouvenirsStore) await store.close();
  else store.onModuleDestroy();
}
