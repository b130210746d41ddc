import { afterAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { validateSouvenirsOptions } from '../../../lib/souvenirs-options.validation.js';
import { resolveSouvenirsOptions } from '../../../lib/souvenirs.options.js';
import { RedisSouvenirsStore } from '../../../lib/store/redis/redis-souvenirs.store.js';
import { deleteKeysWithPrefix, randomKeyPrefix } from '../../support/redis-test-keys.js';

const prefix = randomKeyPrefix('test-valkey-url');

describe('a valkey:// URL', () => {
  const raw = new Redis({ host: '127.0.0.1', port: 6379 });
  afterAll(async () => {
    await deleteKeysWithPrefix(raw, prefix);
    await raw.quit();
  });

  it.each(['valkey://127.0.0.1:6379', 'valkeys://cache.example:6380', 'rediss://cache.example:6380'])(
    'is a valid `redis` option: %s',
    (redis) => {
      expect(resolveSouvenirsOptions(validateSouvenirsOptions({ redis })).redis).toBe(redis);
    },
  );

  it('reaches the server it names (not a host called "valkey")', async () => {
    const store = new RedisSouvenirsStore({ redis: 'valkey://127.0.0.1:6379/0', keyPrefix: prefix });
    try {
      await store.incrementCounters(new Map([['k', { fields: new Map([['f', 2]]) }]]));
      await expect(store.readCounters([{ key: 'k', field: 'f' }])).resolves.toEqual([2]);
      expect(await raw.hget(`${prefix}:k`, 'f')).toBe('2');
    } finally {
      await store.close();
    }
  });
});
