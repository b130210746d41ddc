import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { LoggerService } from '@nestjs/common';
import { Redis } from 'ioredis';
import { InvalidOptionError } from '../../../lib/errors/invalid-option.error.js';
import { UnexpectedStoreReplyError } from '../../../lib/errors/unexpected-store-reply.error.js';
import { RedisSouvenirsStore } from '../../../lib/store/redis/redis-souvenirs.store.js';
import type { KeyIncrements, SouvenirsStore } from '../../../lib/store/souvenirs-store.interface.js';
import { amountsOf, cellsOf, counterIncrements } from '../../support/counter-increments.js';
import { freePorts } from '../../support/free-ports.js';
import { deleteKeysWithPrefix, randomKeyPrefix } from '../../support/redis-test-keys.js';
import { startRoundTripProxy } from '../../support/round-trip-proxy.js';
import { describeSouvenirsStoreContract } from './souvenirs-store.contract.js';

const REDIS = { host: '127.0.0.1', port: 6379 };
const HOUR = 3_600_000;
const prefix = randomKeyPrefix();
let raw: Redis;

beforeAll(() => {
  raw = new Redis(REDIS);
});
afterAll(async () => {
  await deleteKeysWithPrefix(raw, prefix);
  await raw.quit();
});

describeSouvenirsStoreContract('RedisSouvenirsStore on one Redis', async () => {
  const store = new RedisSouvenirsStore({ redis: { ...REDIS }, keyPrefix: prefix });
  return { store, teardown: () => store.close() };
});

/** A logger that keeps what it is told, to assert on it and keep test output clean. */
function recordingLogger(): LoggerService & { lines: string[] } {
  const lines: string[] = [];
  const keep = (message: unknown): void => void lines.push(String(message));
  return { lines, log: keep, error: keep, warn: keep, debug: keep, verbose: keep };
}

async function clientNames(): Promise<string[]> {
  const list = (await raw.client('LIST')) as string;
  return [...list.matchAll(/ name=(\S*)/g)].map((match) => match[1]);
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 2_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

describe('RedisSouvenirsStore', () => {
  describe('connections', () => {
    it.each([
      ['a URL', (name: string) => `redis://${REDIS.host}:${REDIS.port}/0?connectionName=${name}`],
      ['RedisOptions', (name: string) => ({ ...REDIS, connectionName: name })],
    ])('creates its client from %s and quits it on destroy', async (_, redis) => {
      const name = `${prefix}-own-${Math.random().toString(36).slice(2)}`;
      const store = new RedisSouvenirsStore({ redis: redis(name), keyPrefix: prefix });
      await store.addChoices('conn', ['x']);
      expect(await clientNames()).toContain(name);
      await store.close();
      expect(await waitUntil(async () => !(await clientNames()).includes(name))).toBe(true);
    });

    it('uses a client it is given and leaves it open', async () => {
      const given = new Redis(REDIS);
      try {
        const store = new RedisSouvenirsStore({ redis: given, keyPrefix: prefix });
        await expect(store.addChoices('given', ['x'])).resolves.toBe(true);
        await store.close();
        expect(given.status).toBe('ready');
        await expect(given.smembers(`${prefix}:given`)).resolves.toEqual(['x']);
      } finally {
        await given.quit();
      }
    });

    it('refuses an empty key prefix or something that is no Redis', () => {
      expect(() => new RedisSouvenirsStore({ redis: { ...REDIS, lazyConnect: true }, keyPrefix: '' })).toThrow(InvalidOptionError);
      expect(() => new RedisSouvenirsStore({ redis: 42 as unknown as string, keyPrefix: prefix })).toThrow(InvalidOptionError);
    });
  });

  describe('keys', () => {
    let store: RedisSouvenirsStore;
    beforeAll(() => {
      store = new RedisSouvenirsStore({ redis: raw, keyPrefix: prefix });
    });

    it('stores counters, choices and claims under the prefix, hash tags intact', async () => {
      await store.incrementCounters(counterIncrements(['{m1}:2024', { a: 3 }, 100]));
      await store.addChoices('{m1}:choices', ['x', 'y']);
      await store.claimRateLimit('{u}:7', 1_000, HOUR);
      await expect(raw.hgetall(`${prefix}:{m1}:2024`)).resolves.toEqual({ a: '3' });
      await expect(raw.pttl(`${prefix}:{m1}:2024`)).resolves.toBeGreaterThan(99_000);
      expect((await raw.smembers(`${prefix}:{m1}:choices`)).sort()).toEqual(['x', 'y']);
      await expect(raw.get(`${prefix}:{activity}:ratelimit:{u}:7`)).resolves.toBe('1000');
      const pttl = await raw.pttl(`${prefix}:{activity}:ratelimit:{u}:7`);
      expect(pttl).toBeGreaterThan(HOUR - 60_000);
      expect(pttl).toBeLessThanOrEqual(HOUR);
    });

    it('reports a counter that holds no integer instead of misreading it', async () => {
      await raw.hset(`${prefix}:corrupt`, 'f', '12abc', 'g', '1.5');
      await expect(store.readCounters([{ key: 'corrupt', field: 'f' }])).rejects.toThrow(UnexpectedStoreReplyError);
      await expect(store.readCounters([{ key: 'corrupt', field: 'g' }])).rejects.toThrow(UnexpectedStoreReplyError);
    });

    it('reports a member-derived counter that holds no integer instead of misreading it', async () => {
      await raw.sadd(`${prefix}:{c}:set`, 'x');
      await raw.hset(`${prefix}:{c}:v:x`, 'f', '7', 'g', '1.5');
      const template = (field: string) => ({ key: { prefix: '{c}:v:', suffix: '' }, field });
      await expect(store.readCountersOfMembers('{c}:set', [template('f')])).resolves.toEqual({ members: ['x'], counters: [[7]] });
      await expect(store.readCountersOfMembers('{c}:set', [template('g')])).rejects.toThrow(UnexpectedStoreReplyError);
    });

    it('builds member-derived keys under a client that adds its own key prefix', async () => {
      const prefixed = new Redis({ ...REDIS, keyPrefix: `${prefix}:own:` });
      try {
        const own = new RedisSouvenirsStore({ redis: prefixed, keyPrefix: 'inner' });
        await own.addChoices('{o}:set', ['a']);
        await own.incrementCounters(counterIncrements(['{o}:v:a', { n: 9 }]));
        await expect(raw.hget(`${prefix}:own:inner:{o}:v:a`, 'n')).resolves.toBe('9');
        await expect(own.readCountersOfMembers('{o}:set', [{ key: { prefix: '{o}:v:', suffix: '' }, field: 'n' }]))
          .resolves.toEqual({ members: ['a'], counters: [[9]] });
      } finally {
        await prefixed.quit();
      }
    });

    it('reports a rate-limit key that holds no time instead of granting', async () => {
      await raw.set(`${prefix}:{activity}:ratelimit:corrupt`, 'yesterday');
      await expect(store.claimRateLimit('corrupt', 1_000, HOUR)).rejects.toThrow(/does not hold a time/);
    });

    it('grants exactly one of 50 concurrent claims made through 5 separate connections', async () => {
      const stores = Array.from({ length: 5 }, () => new RedisSouvenirsStore({ redis: { ...REDIS }, keyPrefix: prefix }));
      try {
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => stores[i % 5].claimRateLimit('shared-subject', 1_000 + i, HOUR)),
        );
        expect(results.filter((claim) => claim !== null)).toHaveLength(1);
      } finally {
        await Promise.all(stores.map((each) => each.close()));
      }
    });
  });

  describe('day unions', () => {
    it('unites short bitmaps (users numbered below 256) with long ones, past 16 days a union, with the scratch keys left deleted', async () => {
      // A fresh prefix: its numbering starts at 1, so the first users' days are bitmaps shorter than 32 bytes.
      const own = randomKeyPrefix();
      const store = new RedisSouvenirsStore({ redis: raw, keyPrefix: own });
      try {
        const later = Date.now() + HOUR;
        const day = (d: number) => ({ id: `UTC/2024-01-${String(d + 1).padStart(2, '0')}`, expireAtMs: later });
        const early = ['e1', 'e2', 'e3'];
        const many = Array.from({ length: 400 }, (_, i) => `m${i}`);
        // Days 0-2: one early user each (short); days 3-19: 20 of the many each, numbered past 300 (long); day 20: nobody (short).
        await store.addActiveUsers!(early.map((user, d) => ({ day: day(d), users: [user], complete: true })));
        await store.addActiveUsers!([{ day: day(30), users: Array.from({ length: 300 }, (_, i) => `padding${i}`) }]);
        await store.addActiveUsers!(Array.from({ length: 17 }, (_, k) => ({ day: day(3 + k), users: many.slice(20 * k, 20 * k + 20), complete: true })));
        await store.addActiveUsers!([{ day: day(20), users: [], complete: true }]);
        const all = Array.from({ length: 21 }, (_, d) => day(d).id);
        const reply = await store.readActiveDayUnions!([all, all.slice(3, 20), [all[0], all[20]], [all[5]]], []);
        const numbers = await store.readActiveDays!([], [...early, ...many]);
        const numberOf = new Map([...early, ...many].map((user, i) => [user, numbers.users[i]]));
        const expected = (users: string[]) => users.map((user) => numberOf.get(user)!).sort((a, b) => a - b);
        expect(reply.unions.map((union) => union!.toArray())).toEqual([
          expected([...early, ...many.slice(0, 340)]),
          expected(many.slice(0, 340)),
          expected(['e1']),
          expected(many.slice(40, 60)),
        ]);
        expect(reply.incompleteDays).toEqual([]);
        await expect(raw.exists(`${own}:{activity}:scratch`, `${own}:{activity}:scratch:short`)).resolves.toBe(0);
      } finally {
        await deleteKeysWithPrefix(raw, own);
      }
    });
  });

  describe('the pairs index (the billing run)', () => {
    const later = Date.now() + HOUR;
    const pair = (user: string, tenant: string) => `${user}\0${tenant}`;
    // A fresh prefix per test: its pairs numbering starts empty, so block numbers are known.
    let own: string;
    let store: SouvenirsStore;
    const key = (name: string) => `${own}:{activity:pairs}:${name}`;
    beforeEach(() => {
      own = randomKeyPrefix();
      store = new RedisSouvenirsStore({ redis: raw, keyPrefix: own }).activeDaysIn!('pairs');
    });
    afterEach(() => deleteKeysWithPrefix(raw, own));

    it("numbers each tenant's pairs in blocks of 64 of its own, listing each block's tenant in order", async () => {
      const day = { id: 'UTC/2024-01-01', expireAtMs: later };
      const a = Array.from({ length: 150 }, (_, i) => pair(`a${i}`, 'A'));
      const b = Array.from({ length: 10 }, (_, i) => pair(`b${i}`, 'B'));
      // 100 of A (blocks 1, 2), 10 of B (block 3), 50 more of A: 28 fill block 2, 22 open block 4.
      await store.addActiveUsers!([{ day, users: a.slice(0, 100) }]);
      await store.addActiveUsers!([{ day, users: b }]);
      await store.addActiveUsers!([{ day, users: a.slice(100), complete: true }]);
      await expect(raw.lrange(key('owners'), 0, -1)).resolves.toEqual(['A', 'A', 'B', 'A']);
      const numbers = (await raw.hmget(key('numbers'), ...a, ...b)).map(Number);
      expect(numbers.slice(0, 100)).toEqual(Array.from({ length: 100 }, (_, i) => 64 + i));
      expect(numbers.slice(100, 150)).toEqual([...Array.from({ length: 28 }, (_, i) => 164 + i), ...Array.from({ length: 22 }, (_, i) => 256 + i)]);
      expect(numbers.slice(150)).toEqual(Array.from({ length: 10 }, (_, i) => 192 + i));
      expect((await store.countActiveUsersPerTenant!({ days: [day.id], users: [] })) as { tenants: unknown[] }).toEqual({ tenants: expect.arrayContaining([['A', 150], ['B', 10]]) });
    });

    it("rebuilds the list of block owners from the numbering when it is lost, and appends to it only while it is whole", async () => {
      const day = { id: 'UTC/2024-01-01', expireAtMs: later };
      const many = Array.from({ length: 70 }, (_, i) => pair(`a${i}`, 'A'));
      await store.addActiveUsers!([{ day, users: [pair('b1', 'B'), ...many], complete: true }]);
      await raw.del(key('owners'));
      // A new block given while the list is gone: not appended out of place, the list rebuilt whole on the next read.
      await store.addActiveUsers!([{ day, users: [pair('c1', 'C')] }]);
      await expect(raw.llen(key('owners'))).resolves.toBe(0);
      const reply = await store.countActiveUsersPerTenant!({ days: [day.id], users: [] });
      expect('tenants' in reply && [...reply.tenants].sort()).toEqual([['A', 70], ['B', 1], ['C', 1]]);
      await expect(raw.lrange(key('owners'), 0, -1)).resolves.toEqual(['B', 'A', 'A', 'C']);
    });
  });

  describe('round trips', () => {
    it('sends 100 increments over 10 keys, and reads them back, in one round trip each', async () => {
      const proxy = await startRoundTripProxy(REDIS);
      const store = new RedisSouvenirsStore({ redis: { host: '127.0.0.1', port: proxy.port }, keyPrefix: prefix });
      try {
        await store.getChoices('warm-up'); // connection handshake done before counting
        // The measure itself: two awaited commands are two round trips.
        proxy.reset();
        await store.getChoices('a');
        await store.getChoices('b');
        expect(proxy.roundTrips()).toBe(2);

        const increments = new Map<string, KeyIncrements>();
        for (let k = 0; k < 10; k++) {
          increments.set(`{trip}:${k}`, { fields: new Map(Array.from({ length: 10 }, (_, f) => [`f${f}`, k * 10 + f + 1])), ttlSeconds: 600 });
        }
        proxy.reset();
        await store.incrementCounters(increments);
        expect(proxy.roundTrips()).toBe(1);
        proxy.reset();
        const values = await store.readCounters(cellsOf(increments));
        expect(proxy.roundTrips()).toBe(1);
        expect(values).toEqual(amountsOf(increments));
        await expect(raw.hget(`${prefix}:{trip}:9`, 'f9')).resolves.toBe('100');
      } finally {
        await store.close();
        await proxy.close();
      }
    });
  });

  describe('Redis unreachable', () => {
    it('rejects promptly when nothing listens, logging the outage once', async () => {
      const [port] = await freePorts(1);
      const logger = recordingLogger();
      const store = new RedisSouvenirsStore({ redis: { host: '127.0.0.1', port }, keyPrefix: prefix, logger });
      try {
        const started = Date.now();
        await expect(store.claimRateLimit('u', 1_000, HOUR)).rejects.toThrow();
        await expect(store.incrementCounters(counterIncrements(['k', { f: 1 }]))).rejects.toThrow();
        await expect(store.readCounters([{ key: 'k', field: 'f' }])).rejects.toThrow();
        await expect(store.addChoices('k', ['x'])).rejects.toThrow();
        expect(Date.now() - started).toBeLessThan(2_000);
        await new Promise((resolve) => setTimeout(resolve, 300)); // reconnection attempts go on
        expect(logger.lines.filter((line) => line.includes('unreachable'))).toHaveLength(1);
      } finally {
        await store.close();
      }
    });

    it('rejects promptly, instead of queueing, when Redis goes away after connecting', async () => {
      const proxy = await startRoundTripProxy(REDIS);
      const logger = recordingLogger();
      const store = new RedisSouvenirsStore({ redis: { host: '127.0.0.1', port: proxy.port }, keyPrefix: prefix, logger });
      try {
        await expect(store.claimRateLimit('gone', 1_000, HOUR)).resolves.not.toBeNull();
        await proxy.close();
        await new Promise((resolve) => setTimeout(resolve, 100));
        const started = Date.now();
        await expect(store.claimRateLimit('gone', 1_000 + HOUR, HOUR)).rejects.toThrow();
        await expect(store.incrementCounters(counterIncrements(['k', { f: 1 }]))).rejects.toThrow();
        expect(Date.now() - started).toBeLessThan(2_000);
      } finally {
        await store.close();
      }
    });
  });
});
