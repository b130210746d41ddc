import { Redis } from 'ioredis';
import type { Repository } from 'typeorm';
import { ActiveUsersIndex } from '../../../lib/active-users/active-users.index.js';
import { ActivityService } from '../../../lib/activity/activity.service.js';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { SouvenirsCalendar } from '../../../lib/calendar/souvenirs-calendar.js';
import { resolveSouvenirsOptions, type ResolvedSouvenirsOptions, type SouvenirsModuleOptions } from '../../../lib/souvenirs.options.js';
import { MemorySouvenirsStore } from '../../../lib/store/memory/memory-souvenirs.store.js';
import { RedisSouvenirsStore } from '../../../lib/store/redis/redis-souvenirs.store.js';
import type { SouvenirsStore } from '../../../lib/store/souvenirs-store.interface.js';
import type { TestDatabase } from '../../support/databases.js';
import { deleteKeysWithPrefix, randomKeyPrefix } from '../../support/redis-test-keys.js';

/** Shared set-up of the activity integration specs: a controllable clock, real stores, the service. */

export const REDIS_URL = process.env.SOUVENIRS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A clock the test moves by hand. */
export class TestClock {
  constructor(public current: Date) {}
  readonly now = (): Date => new Date(this.current.getTime());
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** The options as the module resolves them from the given module options (e.g. the test's clock). */
export function resolvedOptions(given: SouvenirsModuleOptions = {}): ResolvedSouvenirsOptions {
  // Not validated first, so a test can reach the service's own checks with a value the boot would refuse.
  return resolveSouvenirsOptions(given);
}

/** The service as the module wires it: the resolved options, their calendar and an index over that calendar. */
export function activityService(repository: Repository<Souvenir>, store: SouvenirsStore, given: SouvenirsModuleOptions = {}): ActivityService {
  const options = resolvedOptions(given);
  const calendar = new SouvenirsCalendar(options);
  return new ActivityService(repository, store, options, calendar, new ActiveUsersIndex(repository, store, calendar));
}

export type StoreKind = 'memory' | 'redis';
export const STORE_KINDS: StoreKind[] = ['memory', 'redis'];

/** A store of a kind, empty, and how to dispose of it (Redis: its keys deleted, its client closed). */
export interface TestStore {
  readonly store: SouvenirsStore;
  readonly keyPrefix: string;
  close(): Promise<void>;
}


export async function createTestStore(kind: StoreKind): Promise<TestStore> {
  const keyPrefix = randomKeyPrefix();
  if (kind === 'memory') {
    const store = new MemorySouvenirsStore();
    return { store, keyPrefix, close: async () => store.onModuleDestroy() };
  }
  const redis = new Redis(REDIS_URL);
  const store = new RedisSouvenirsStore({ redis, keyPrefix });
  return {
    store,
    keyPrefix,
    close: async () => {
      await deleteKeysWithPrefix(redis, keyPrefix);
      await redis.quit();
    },
  };
}

/** The service over a test database's repository. */
export function createService(
  db: TestDatabase,
  store: SouvenirsStore,
  overrides: SouvenirsModuleOptions = {},
): ActivityService {
  return activityService(db.dataSource.getRepository(Souvenir), store, overrides);
}

/** Every stored souvenir, oldest first, as plain `{ userId, when }` (ISO string) for readable assertions. */
export async function storedRows(db: TestDatabase): Promise<Array<{ userId: string; when: string }>> {
  const rows = await db.dataSource.getRepository(Souvenir).find({ order: { when: 'ASC', id: 'ASC' } });
  return rows.map((row) => ({ userId: row.userId, when: row.when.toISOString() }));
}

/** Empties the souvenirs table between tests. */
export async function clearSouvenirs(db: TestDatabase): Promise<void> {
  await db.dataSource.getRepository(Souvenir).clear();
}

export const HOUR = 3_600_000;
export const MINUTE = 60_000;
