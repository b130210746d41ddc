import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisSouvenirsStore } from '../../../lib/store/redis/redis-souvenirs.store.js';
import { metricaContract } from './metrica.contract.js';

metricaContract('a single Redis', async () => {
  const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: false });
  const base = `souvenirs-test-metricas-${randomUUID()}`;
  let next = 0;
  return {
    async create() {
      return new RedisSouvenirsStore({ redis, keyPrefix: `${base}-${next++}` });
    },
    async close() {
      let cursor = '0';
      do {
        const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${base}-*`, 'COUNT', 1000);
        if (keys.length > 0) await redis.del(...keys);
        cursor = nextCursor;
      } while (cursor !== '0');
      await redis.quit();
    },
  };
});
