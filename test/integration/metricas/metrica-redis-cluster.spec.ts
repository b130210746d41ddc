import { Cluster } from 'ioredis';
import { RedisSouvenirsStore } from '../../../lib/store/redis/redis-souvenirs.store.js';
import { startRedisCluster } from '../../support/redis-cluster.js';
import { metricaContract } from './metrica.contract.js';

metricaContract('a 3-master Redis Cluster', async () => {
  const servers = await startRedisCluster();
  const cluster = new Cluster([...servers.nodes]);
  let next = 0;
  return {
    async create() {
      // The whole cluster is thrown away afterwards; prefixes still keep tests apart.
      return new RedisSouvenirsStore({ redis: cluster, keyPrefix: `metricas-${next++}` });
    },
    async close() {
      await cluster.quit();
      await servers.stop();
    },
  };
});
