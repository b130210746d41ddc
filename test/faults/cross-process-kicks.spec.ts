import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { Axis } from '../../lib/metricas/axes/axis.js';
import { MetricaRegistry } from '../../lib/metricas/metrica.registry.js';
import { RedisSouvenirsStore } from '../../lib/store/redis/redis-souvenirs.store.js';
import { metricaOptions } from '../integration/metricas/contract/harness.js';
import { recordFaultFigure } from '../support/fault-figures.js';
import { deleteKeysWithPrefix, randomKeyPrefix } from '../support/redis-test-keys.js';
import { LineWorker } from '../support/line-worker.js';

const WORKER = fileURLToPath(new URL('./fixtures/kick-worker.ts', import.meta.url));
const REDIS_URL = 'redis://127.0.0.1:6379';
const PROCESSES = 4;
const WAVES = 10;
const PER_WAVE = 150;

describe(`metricas kicked by ${PROCESSES} processes at once against one Redis`, () => {
  const keyPrefix = randomKeyPrefix('test-cross-kicks');
  let workers: LineWorker[] = [];

  afterAll(async () => {
    for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill();
    const redis = new Redis(REDIS_URL);
    await deleteKeysWithPrefix(redis, keyPrefix);
    await redis.quit();
  });

  beforeAll(() => {
    workers = Array.from({ length: PROCESSES }, () => new LineWorker(WORKER, { redisUrl: REDIS_URL, keyPrefix, waves: WAVES, perWave: PER_WAVE }));
  });

  it('adds up to exact totals, sums and counts', async () => {
    for (const worker of workers) expect(await worker.nextLine()).toBe('ready');
    const startAt = Date.now() + 200;
    for (const worker of workers) worker.child.stdin.write(`go ${startAt}\n`);
    const results = await Promise.all(workers.map(async (worker) => JSON.parse(await worker.nextLine()) as { rejected: number; dropped: number }));

    const store = new RedisSouvenirsStore({ redis: REDIS_URL, keyPrefix });
    const registry = new MetricaRegistry(store, ...metricaOptions());
    const hits = registry.define({ name: 'hits', axes: { source: new Axis({ choices: ['a', 'b', 'c'] }) } });
    const latency = registry.define({ name: 'latency', averaged: true });
    const kicksPerMetrica = PROCESSES * WAVES * PER_WAVE;
    // Each wave's values: (index % 7) + 1 over PER_WAVE indexes.
    const sumPerWave = Array.from({ length: PER_WAVE }, (_, index) => (index % 7) + 1).reduce((a, b) => a + b, 0);
    const [total, perSource, latencySum, latencyCount] = await Promise.all([
      hits.total(),
      hits.values().iterate('source'),
      latency.total(),
      latency.count(),
    ]);
    await registry.onApplicationShutdown();
    await store.close();
    const expectedPerSource = (['a', 'b', 'c'] as const).map((source, at) => [
      source,
      PROCESSES * WAVES * Array.from({ length: PER_WAVE }, (_, index) => index % 3).filter((value) => value === at).length,
    ]);
    const counted = total + latencyCount - PROCESSES; // the warm-up kicks: value 0 for hits, one event each for latency
    await recordFaultFigure({
      id: 'cross-process-kicks',
      fault: 'none: 4 processes kick the same metricas at once (one Redis)',
      duration: 'n/a',
      load: `${PROCESSES} processes × ${WAVES} waves × ${PER_WAVE} kicks × 2 metricas`,
      lost: Math.max(2 * kicksPerMetrica - counted, 0),
      doubled: Math.max(counted - 2 * kicksPerMetrica, 0),
      failedRequests: 0,
      note: `hits ${total}, latency sum ${latencySum} / count ${latencyCount - PROCESSES}`,
    });
    expect(results).toEqual(Array.from({ length: PROCESSES }, () => ({ rejected: 0, dropped: 0 })));
    expect(total).toBe(kicksPerMetrica);
    expect(perSource).toEqual(expectedPerSource);
    expect(latencySum).toBe(PROCESSES * WAVES * sumPerWave);
    expect(latencyCount).toBe(kicksPerMetrica + PROCESSES);
  }, 60_000);
});
