import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Cluster } from 'ioredis';
import { InvalidStoreArgumentError } from '../../../lib/errors/invalid-store-argument.error.js';
import { keySlot } from '../../../lib/store/redis/redis-key-slot.js';
import { RedisSouvenirsStore } from '../../../lib/store/redis/redis-souvenirs.store.js';
import { amountsOf, cellsOf, counterIncrements } from '../../support/counter-increments.js';
import { startRedisCluster, type TestRedisCluster } from '../../support/redis-cluster.js';
import { randomKeyPrefix } from '../../support/redis-test-keys.js';
import { describeSouvenirsStoreContract } from './souvenirs-store.contract.js';

let cluster: TestRedisCluster;
const prefix = randomKeyPrefix();

beforeAll(async () => {
  cluster = await startRedisCluster();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

describeSouvenirsStoreContract('RedisSouvenirsStore on a 3-master Redis Cluster', async () => {
  const client = new Cluster([...cluster.nodes]);
  const store = new RedisSouvenirsStore({ redis: client, keyPrefix: prefix });
  return {
    store,
    teardown: async () => {
      await store.close();
      await client.quit();
    },
  };
});

describe('RedisSouvenirsStore on a Redis Cluster', () => {
  let client: Cluster;
  let store: RedisSouvenirsStore;
  beforeAll(() => {
    client = new Cluster([...cluster.nodes]);
    store = new RedisSouvenirsStore({ redis: client, keyPrefix: prefix });
  });
  afterAll(async () => {
    await client.quit();
  });

  it("counts per tenant on a namespace only: the site's own index is sharded by user, no pairs index", async () => {
    await expect(store.countActiveUsersPerTenant({ days: [], users: [] })).rejects.toBeInstanceOf(InvalidStoreArgumentError);
    await expect(store.activeDaysIn('pairs').countActiveUsersPerTenant!({ days: [], users: ['u\0acme'] })).resolves.toEqual({ tenants: [['acme', 1]] });
  });

  it('computes the slot of a key as the cluster does', async () => {
    const keys = ['foo', 'somekey', `${prefix}:{m}:2024`, `${prefix}:a{}b`, `${prefix}:{ü🙂}:x`, `${prefix}:{{x}}`, `${prefix}:ratelimit:42`];
    for (const key of keys) {
      await expect(client.cluster('KEYSLOT', key)).resolves.toBe(keySlot(key));
    }
  });

  it('writes one call of increments spread over every master', async () => {
    const increments = counterIncrements(...Array.from({ length: 300 }, (_, i) => [`spread:${i}`, { n: i + 1 }] as const));
    const slots = new Set([...increments.keys()].map((key) => keySlot(`${prefix}:${key}`)));
    expect(slots.size).toBeGreaterThan(100); // many slots, so every master is involved
    await store.incrementCounters(increments);
    await expect(store.readCounters(cellsOf(increments))).resolves.toEqual(amountsOf(increments));
    await expect(client.hget(`${prefix}:spread:299`, 'n')).resolves.toBe('300');
  });

  it('keeps the keys of one hash tag in one slot, under the prefix', async () => {
    await store.incrementCounters(counterIncrements(['{tagged}:a', { n: 1 }], ['{tagged}:b', { n: 2 }]));
    const slots = await Promise.all([`${prefix}:{tagged}:a`, `${prefix}:{tagged}:b`].map((key) => client.cluster('KEYSLOT', key)));
    expect(slots[0]).toBe(slots[1]);
    await expect(client.hget(`${prefix}:{tagged}:b`, 'n')).resolves.toBe('2');
  });

  it('reads member-derived counters on the node of the set, and refuses keys not bound to its slot', async () => {
    await store.addChoices('{mc}:set', ['a', 'b']);
    await store.incrementCounters(counterIncrements(['{mc}:v:a', { n: 1 }], ['{mc}:v:b', { n: 2 }]));
    const answer = await store.readCountersOfMembers('{mc}:set', [{ key: { prefix: '{mc}:v:', suffix: '' }, field: 'n' }]);
    expect(Object.fromEntries(answer.members.map((member, i) => [member, answer.counters[i]]))).toEqual({ a: [1], b: [2] });
    const unbound = [
      { key: { prefix: 'v:', suffix: '{mc}' }, field: 'n' }, // the member could bring its own tag
      { key: { prefix: '{other}:v:', suffix: '' }, field: 'n' },
      { key: '{other}:fixed', field: 'n' },
    ];
    for (const template of unbound) {
      await expect(store.readCountersOfMembers('{mc}:set', [template])).rejects.toThrow(InvalidStoreArgumentError);
    }
  });

  it('grants exactly one of 50 concurrent claims made through 3 separate cluster clients', async () => {
    const clients = Array.from({ length: 3 }, () => new Cluster([...cluster.nodes]));
    try {
      const stores = clients.map((each) => new RedisSouvenirsStore({ redis: each, keyPrefix: prefix }));
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => stores[i % 3].claimRateLimit('cluster-subject', 1_000 + i, 3_600_000)),
      );
      expect(results.filter((claim) => claim !== null)).toHaveLength(1);
    } finally {
      await Promise.all(clients.map((each) => each.quit()));
    }
  });
});
