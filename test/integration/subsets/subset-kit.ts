import { afterAll, beforeAll } from '@jest/globals';
import { Cluster, Redis } from 'ioredis';
import { ActiveDaySets } from '../../../lib/active-users/active-day-sets.js';
import { ActiveUsersIndex } from '../../../lib/active-users/active-users.index.js';
import { ActivityService } from '../../../lib/activity/activity.service.js';
import { SouvenirsCalendar } from '../../../lib/calendar/souvenirs-calendar.js';
import { AnalyticsReports } from '../../../lib/reports/analytics.reports.js';
import { EntityUsersSource } from '../../../lib/reports/entity-users.source.js';
import { ReportsService } from '../../../lib/reports/reports.service.js';
import type { UsersEntityOptions, UsersOption, UsersSource } from '../../../lib/reports/users-source.interface.js';
import type { SouvenirsModuleOptions } from '../../../lib/souvenirs.options.js';
import { MemorySouvenirsStore } from '../../../lib/store/memory/memory-souvenirs.store.js';
import { RedisSouvenirsStore } from '../../../lib/store/redis/redis-souvenirs.store.js';
import type { SouvenirsStore } from '../../../lib/store/souvenirs-store.interface.js';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { createTestDatabase, type Dialect, type TestDatabase } from '../../support/databases.js';
import { startRedisCluster, type TestRedisCluster } from '../../support/redis-cluster.js';
import { randomKeyPrefix } from '../../support/redis-test-keys.js';
import { TestMember } from '../../support/test-member.entity.js';
import { REDIS_URL, resolvedOptions } from '../activity/activity-test-kit.js';

/** The users option of the subset suites: the test users, `isActive` telling activated ones. */
export const TEST_USERS_OPTION: UsersEntityOptions = { entity: TestMember, joinedAt: 'joinedAt', isActive: 'isActive', tenant: 'org' };

/** The services as the module wires them, with a users entity (or the given source, or none). */
export interface SubsetServices {
  activity: ActivityService;
  reports: ReportsService;
}

export function createSubsetServices(
  db: TestDatabase,
  store: SouvenirsStore,
  overrides: Pick<SouvenirsModuleOptions, 'timeZone' | 'weekStart' | 'now' | 'usageForPeriods'> = {},
  users: UsersOption | null = TEST_USERS_OPTION,
): SubsetServices {
  const options = resolvedOptions({ ...overrides, ...(users && { users }) });
  const calendar = new SouvenirsCalendar(options);
  const repository = db.dataSource.getRepository(Souvenir);
  const index = new ActiveUsersIndex(repository, store, calendar);
  const source: UsersSource | null =
    users === null ? null : users === TEST_USERS_OPTION ? new EntityUsersSource(db.dataSource.manager, TEST_USERS_OPTION) : (users as UsersSource);
  return {
    activity: new ActivityService(repository, store, options, calendar, index),
    reports: new ReportsService(repository, options, calendar, source, index, new AnalyticsReports(calendar, new ActiveDaySets(repository, index))),
  };
}

export type SubsetStoreKind = 'memory' | 'redis' | 'cluster';

/** A fresh store of `kind` (Redis and Cluster under a key prefix of their own), and how to close it. */
export function subsetStore(kind: SubsetStoreKind, client?: Redis | Cluster): { store: SouvenirsStore; close(): Promise<void> } {
  if (kind === 'memory') {
    const store = new MemorySouvenirsStore();
    return { store, close: async () => store.onModuleDestroy() };
  }
  const keyPrefix = randomKeyPrefix('subsets');
  const store = new RedisSouvenirsStore({ redis: client!, keyPrefix });
  return {
    store,
    close: async () => {
      // The keys of one run: few, under the run's own prefix.
      const nodes = client instanceof Cluster ? client.nodes('master') : [client!];
      for (const node of nodes) {
        const keys = await node.keys(`${keyPrefix}*`);
        for (const key of keys) await client!.del(key);
      }
    },
  };
}

/** The cases of the subset properties: every database, with memory and Redis, and SQLite with a Cluster too (runs per case). */
export function subsetCases(runs: Record<Dialect, number>): [Dialect, SubsetStoreKind, number][] {
  return [
    ['sqlite', 'memory', runs.sqlite],
    ['sqlite', 'redis', Math.ceil(runs.sqlite / 2)],
    ['sqlite', 'cluster', Math.ceil(runs.sqlite / 3)],
    ['postgres', 'memory', runs.postgres],
    ['postgres', 'redis', runs.postgres],
    ['mariadb', 'memory', runs.mariadb],
    ['mariadb', 'redis', runs.mariadb],
  ];
}

/** A suite's database (with the users entity) and, for Redis or a Cluster (started here), its client; set before the first test. */
export interface SubsetSuite {
  db: TestDatabase;
  client: Redis | Cluster | undefined;
}

export function useSubsetSuite(dialect: Dialect, kind: SubsetStoreKind): SubsetSuite {
  const suite = {} as SubsetSuite;
  let cluster: TestRedisCluster | undefined;
  beforeAll(async () => {
    suite.db = await createTestDatabase(dialect, { entities: [TestMember] });
    if (kind === 'redis') suite.client = new Redis(REDIS_URL);
    if (kind === 'cluster') {
      cluster = await startRedisCluster();
      suite.client = new Cluster(cluster.nodes as { host: string; port: number }[]);
    }
  }, 60_000);
  afterAll(async () => {
    await suite.client?.quit();
    await cluster?.stop();
    await suite.db?.drop();
  });
  return suite;
}
