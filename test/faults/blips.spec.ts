import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Cluster, Redis } from 'ioredis';
import { Axis } from '../../lib/metricas/axes/axis.js';
import { MetricaRegistry } from '../../lib/metricas/metrica.registry.js';
import { RedisSouvenirsStore } from '../../lib/store/redis/redis-souvenirs.store.js';
import { metricaOptions } from '../integration/metricas/contract/harness.js';
import { recordFaultFigure } from '../support/fault-figures.js';
import { isCounterFlush, startFaultProxy, type CutPoint, type FaultProxy } from '../support/fault-proxy.js';
import { startRedisCluster, type TestRedisCluster } from '../support/redis-cluster.js';
import { deleteKeysWithPrefix, randomKeyPrefix } from '../support/redis-test-keys.js';

const SHARED_REDIS = { host: '127.0.0.1', port: 6379 };
const WAVES = 30;
const PER_WAVE = 128;
const CUT_AT_WAVE = 10;
const COLORS = ['red', 'green', 'blue', 'black'] as const;

type Topology = 'redis' | 'cluster';

/** A store reaching Redis (or every Cluster master) only through fault proxies. */
interface ProxiedStore {
  readonly store: RedisSouvenirsStore;
  readonly proxies: FaultProxy[];
  close(): Promise<void>;
}

async function proxiedStore(topology: Topology, keyPrefix: string, cluster: TestRedisCluster | undefined): Promise<ProxiedStore> {
  if (topology === 'redis') {
    const proxy = await startFaultProxy(SHARED_REDIS);
    // The store's own client: offline queue off, so calls during a cut fail fast and are retried by the buffer.
    const store = new RedisSouvenirsStore({ redis: { host: '127.0.0.1', port: proxy.port }, keyPrefix, logger: quietLogger });
    return { store, proxies: [proxy], close: async () => { await store.close(); await proxy.close(); } };
  }
  const proxies = await Promise.all(cluster!.nodes.map((node) => startFaultProxy(node)));
  // The nodes announce their own ports; natMap sends the client through the proxies instead.
  const natMap = Object.fromEntries(cluster!.nodes.map((node, index) => [`${node.host}:${node.port}`, { host: '127.0.0.1', port: proxies[index].port }]));
  const client = new Cluster([{ host: '127.0.0.1', port: proxies[0].port }], { natMap, redisOptions: { maxRetriesPerRequest: 1 } });
  client.on('error', () => undefined); // outages are the point here
  const store = new RedisSouvenirsStore({ redis: client, keyPrefix });
  return {
    store,
    proxies,
    close: async () => {
      client.disconnect();
      await Promise.all(proxies.map((proxy) => proxy.close()));
    },
  };
}

const quietLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Blips: the connection to Redis drops once, before a flush reaches Redis or after
 * Redis applied it (reply lost), or for ~2 s. Every kick resolves, and counts once.
 */
describe.each<Topology>(['redis', 'cluster'])('blips on %s', (topology) => {
  let cluster: TestRedisCluster | undefined;
  const keyPrefix = randomKeyPrefix('test-blips');

  beforeAll(async () => {
    if (topology === 'cluster') cluster = await startRedisCluster();
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
    if (topology === 'redis') {
      const cleaner = new Redis(SHARED_REDIS);
      await deleteKeysWithPrefix(cleaner, keyPrefix);
      cleaner.disconnect();
    }
  });

  const cases: Array<[CutPoint, string]> = [
    ['before-forwarding', 'before Redis applied it'],
    ['after-forwarding', 'after Redis applied it (reply lost)'],
  ];
  it.each(cases)('a connection cut %s (%s) neither loses nor doubles a kick', async (point) => {
    const proxied = await proxiedStore(topology, keyPrefix, cluster);
    const registry = new MetricaRegistry(proxied.store, ...metricaOptions());
    const colors = registry.define({ name: `blip-${point}`, axes: { color: new Axis({ choices: COLORS }) } });
    const started = Date.now();
    let rejected = 0;
    try {
      for (let wave = 0; wave < WAVES; wave++) {
        if (wave === CUT_AT_WAVE) proxied.proxies.forEach((proxy) => proxy.cutOnce(point, isCounterFlush));
        const outcomes = await Promise.allSettled(
          Array.from({ length: PER_WAVE }, (_, index) => colors.kick({ color: COLORS[index % COLORS.length] })),
        );
        rejected += outcomes.filter(({ status }) => status === 'rejected').length;
      }
      const cuts = proxied.proxies.reduce((sum, proxy) => sum + proxy.cuts(), 0);
      const total = await colors.total();
      const perColor = await colors.values().iterate('color');
      await recordFaultFigure({
        id: `blip-${point}-${topology}`,
        fault: `connection cut once ${point === 'before-forwarding' ? 'before a flush reached Redis' : 'after Redis applied a flush (reply lost)'} (${topology})`,
        duration: `one cut, run ${Date.now() - started} ms`,
        load: `${WAVES} waves × ${PER_WAVE} kicks`,
        lost: Math.max(WAVES * PER_WAVE - total, 0),
        doubled: Math.max(total - WAVES * PER_WAVE, 0),
        failedRequests: 0,
        note: `${total} counted for ${WAVES * PER_WAVE} kicks, ${rejected} rejected, ${cuts} cut`,
      });
      expect(cuts).toBeGreaterThanOrEqual(1);
      expect(rejected).toBe(0);
      expect(registry.droppedKicks).toBe(0);
      expect(total).toBe(WAVES * PER_WAVE);
      expect(perColor).toEqual(COLORS.map((color) => [color, (WAVES * PER_WAVE) / COLORS.length]));
    } finally {
      await registry.onApplicationShutdown();
      await proxied.close();
    }
  }, 60_000);

  it('a ~2 s outage mid-load neither loses nor doubles a kick', async () => {
    const proxied = await proxiedStore(topology, keyPrefix, cluster);
    const registry = new MetricaRegistry(proxied.store, ...metricaOptions());
    const colors = registry.define({ name: 'outage', axes: { color: new Axis({ choices: COLORS }) } });
    await colors.kick({ color: 'red' }); // stores the year's choice before the outage
    const kicks: Array<Promise<void>> = [];
    const started = Date.now();
    try {
      // 32 kicks every 10 ms for 4 s; Redis unreachable from 1 s to 3 s.
      let outageStarted = false;
      while (Date.now() - started < 4_000) {
        if (!outageStarted && Date.now() - started >= 1_000) {
          outageStarted = true;
          proxied.proxies.forEach((proxy) => proxy.outage(2_000));
        }
        for (let index = 0; index < 32; index++) kicks.push(colors.kick({ color: COLORS[index % COLORS.length] }));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const outcomes = await Promise.allSettled(kicks);
      const rejected = outcomes.filter(({ status }) => status === 'rejected').length;
      const total = (await colors.total()) - 1;
      await recordFaultFigure({
        id: `outage-2s-${topology}`,
        fault: `every connection to Redis cut, new ones refused (${topology})`,
        duration: '2.0 s',
        load: `${kicks.length} kicks over 4 s (32 every 10 ms)`,
        lost: Math.max(kicks.length - total, 0),
        doubled: Math.max(total - kicks.length, 0),
        failedRequests: 0,
        note: `${total} counted for ${kicks.length} kicks, ${rejected} rejected`,
      });
      expect(rejected).toBe(0);
      expect(registry.droppedKicks).toBe(0);
      expect(total).toBe(kicks.length);
    } finally {
      await registry.onApplicationShutdown();
      await proxied.close();
    }
  }, 60_000);
});
