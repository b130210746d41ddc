import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Cluster, Redis } from 'ioredis';
import { MetricaRegistry } from '../../lib/metricas/metrica.registry.js';
import { MemorySouvenirsStore } from '../../lib/store/memory/memory-souvenirs.store.js';
import { RedisSouvenirsStore } from '../../lib/store/redis/redis-souvenirs.store.js';
import { SouvenirsStore } from '../../lib/store/souvenirs-store.interface.js';
import type { SouvenirsModuleOptions } from '../../lib/souvenirs.options.js';
import { get } from '../e2e/dashboard/http-get.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { recordFaultFigure } from '../support/fault-figures.js';
import { startRedisCluster, type TestRedisCluster } from '../support/redis-cluster.js';
import { deleteKeysWithPrefix, randomKeyPrefix } from '../support/redis-test-keys.js';
import { countActivityRows, readStoredCounts } from './fixtures/counts.js';
import { startTrackedApp } from './fixtures/tracked-app.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const KICKS = 500;
const REQUESTS = 50;
const USERS = 10;

type StoreKind = 'memory' | 'redis' | 'cluster';

/**
 * Shutdown stores what is pending: `app.close()` right after kicks nobody awaited
 * and tracked requests (whose kicks wait in a 1 s lane) finds everything stored,
 * before the store's connection closes.
 */
describe.each<StoreKind>(['memory', 'redis', 'cluster'])('app.close() on the %s store', (kind) => {
  let database: TestDatabase;
  let cluster: TestRedisCluster | undefined;
  let clusterClient: Cluster | undefined;
  const keyPrefix = randomKeyPrefix('test-shutdown');

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    if (kind === 'cluster') {
      cluster = await startRedisCluster();
      clusterClient = new Cluster([...cluster.nodes], { enableOfflineQueue: true });
    }
  }, 60_000);

  afterAll(async () => {
    await database?.drop();
    clusterClient?.disconnect();
    await cluster?.stop();
    if (kind === 'redis') {
      const cleaner = new Redis(REDIS_URL);
      await deleteKeysWithPrefix(cleaner, keyPrefix);
      cleaner.disconnect();
    }
  });

  it(`stores ${KICKS} unawaited kicks and ${REQUESTS} tracked requests issued just before it`, async () => {
    const redis: SouvenirsModuleOptions['redis'] = kind === 'memory' ? undefined : kind === 'redis' ? REDIS_URL : clusterClient;
    const running = await startTrackedApp(database.options, { keyPrefix, redis, rateLimitSeconds: 3600 });
    const memoryStore = running.app.get<MemorySouvenirsStore | RedisSouvenirsStore>(SouvenirsStore);

    const answers = await Promise.all(
      Array.from({ length: REQUESTS }, (_, index) => get(`${running.url}/hit`, { 'x-user-id': `u${index % USERS}` })),
    );
    const hits = running.app.get(MetricaRegistry).get('hits');
    for (let index = 0; index < KICKS; index++) void hits.kick({ source: 'direct' });
    const started = Date.now();
    await running.app.close();
    const shutdownMs = Date.now() - started;

    const reader = kind === 'memory'
      ? (memoryStore as MemorySouvenirsStore)
      : new RedisSouvenirsStore({ redis: kind === 'redis' ? REDIS_URL : clusterClient!, keyPrefix });
    const counts = await readStoredCounts(reader);
    if (reader instanceof RedisSouvenirsStore) await reader.close();
    const rows = await countActivityRows(database.dataSource);

    const failedRequests = answers.filter(({ status }) => status !== 200).length;
    const lost = KICKS - counts.directHits + (REQUESTS - counts.httpHits) + (REQUESTS - counts.responseTimes);
    await recordFaultFigure({
      id: `shutdown-${kind}`,
      fault: `app.close() right after unawaited kicks and tracked requests (${kind} store)`,
      duration: `shutdown, ${shutdownMs} ms`,
      load: `${KICKS} unawaited kicks + ${REQUESTS} tracked requests`,
      lost: Math.max(lost, 0),
      doubled: Math.max(-lost, 0),
      failedRequests,
      note: `${counts.directHits} kicks, ${counts.httpHits} @Track kicks, ${counts.responseTimes} response times, ${rows} activity rows stored`,
    });
    expect(failedRequests).toBe(0);
    expect(counts).toEqual({ directHits: KICKS, httpHits: REQUESTS, responseTimes: REQUESTS });
    expect(rows).toBe(USERS);
    expect(shutdownMs).toBeLessThan(5_000);
  }, 60_000);
});
