import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Cluster } from 'ioredis';
import { Axis } from '../../lib/metricas/axes/axis.js';
import { MetricaRegistry } from '../../lib/metricas/metrica.registry.js';
import { RedisSouvenirsStore } from '../../lib/store/redis/redis-souvenirs.store.js';
import { metricaOptions } from '../integration/metricas/contract/harness.js';
import { recordFaultFigure } from '../support/fault-figures.js';
import { startRedisCluster, type TestRedisCluster } from '../support/redis-cluster.js';

const COLORS = ['red', 'green', 'blue', 'black'] as const;
const PER_WAVE = 64;
const METRICAS = 6;

/**
 * Cluster failover: one replica per master; every replica is promoted with
 * `CLUSTER FAILOVER`, one after the other, while kicks keep coming. No kick fails,
 * and the counts are exact.
 */
describe('metricas through a Cluster failover (3 masters, 1 replica each)', () => {
  let cluster: TestRedisCluster;
  let client: Cluster;

  beforeAll(async () => {
    cluster = await startRedisCluster({ replicas: 1 });
    client = new Cluster([...cluster.nodes], { redisOptions: { maxRetriesPerRequest: 1 } });
    client.on('error', () => undefined); // failovers are the point here
  }, 90_000);

  afterAll(async () => {
    client?.disconnect();
    await cluster?.stop();
  });

  it('loses, doubles and fails no kick while every replica takes over', async () => {
    const store = new RedisSouvenirsStore({ redis: client, keyPrefix: 'failover' });
    const registry = new MetricaRegistry(store, ...metricaOptions());
    // Several metricas, so their slots spread over every master.
    const metricas = Array.from({ length: METRICAS }, (_, index) =>
      registry.define({ name: `colors-${index}`, axes: { color: new Axis({ choices: COLORS }) } }),
    );
    await Promise.all(metricas.map((metrica) => metrica.kick({ color: 'red' }, { value: 0 })));
    let kicked = 0;
    let rejected = 0;
    let running = true;
    const started = Date.now();
    const load = (async () => {
      while (running) {
        const kicks = [];
        for (let index = 0; index < PER_WAVE; index++) {
          kicks.push(metricas[index % METRICAS].kick({ color: COLORS[index % COLORS.length] }));
        }
        kicked += kicks.length;
        const outcomes = await Promise.allSettled(kicks);
        rejected += outcomes.filter(({ status }) => status === 'rejected').length;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (const replica of cluster.replicas) await cluster.failover(replica.port);
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      running = false;
      await load;
    }
    const totals = await Promise.all(metricas.map((metrica) => metrica.total()));
    const total = totals.reduce((sum, value) => sum + value, 0);
    await registry.onApplicationShutdown();
    await recordFaultFigure({
      id: 'cluster-failover',
      fault: `CLUSTER FAILOVER of each of ${cluster.replicas.length} replicas in turn, mid-load`,
      duration: `${Date.now() - started} ms of load`,
      load: `${kicked} kicks over ${METRICAS} metricas, ${PER_WAVE} per wave`,
      lost: Math.max(kicked - total, 0),
      doubled: Math.max(total - kicked, 0),
      failedRequests: 0,
      note: `${total} counted for ${kicked} kicks, ${rejected} rejected`,
    });
    expect(cluster.replicas).toHaveLength(3);
    expect(rejected).toBe(0);
    expect(registry.droppedKicks).toBe(0);
    expect(total).toBe(kicked);
  }, 90_000);
});
