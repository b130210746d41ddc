import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Cluster, Redis } from 'ioredis';
import { MemorySouvenirsStore } from '../../../lib/store/memory/memory-souvenirs.store.js';
import { RedisSouvenirsStore } from '../../../lib/store/redis/redis-souvenirs.store.js';
import type { SouvenirsStore } from '../../../lib/store/souvenirs-store.interface.js';
import type { ActiveUsersOfDay } from '../../../lib/store/active-days.interface.js';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../support/databases.js';
import { randomKeyPrefix } from '../../support/redis-test-keys.js';
import { startRedisCluster, type TestRedisCluster } from '../../support/redis-cluster.js';
import { siteShardOf, siteShardTags } from '../../../lib/store/redis/redis-index-shards.js';
import { createIndexedServices, modelCount, type IndexedServices } from '../active-users/active-index-kit.js';
import { clearSouvenirs, REDIS_URL } from './activity-test-kit.js';

const DAY = 86_400_000;
const ORIGIN = Date.UTC(2026, 5, 1);
const VICTIM = 'victim-Zq7';
const OTHERS = ['u1', 'u2', 'u3', 'u4'];
const TIME_ZONE = 'Europe/Paris';

/** Whole days, days off midnight (day logs), one long range, the open range. */
const RANGES: Array<[Date, Date] | undefined> = [
  [new Date(ORIGIN - 2 * 3_600_000), new Date(ORIGIN + 3 * DAY - 2 * 3_600_000)],
  [new Date(ORIGIN + 5 * 3_600_000), new Date(ORIGIN + 2 * DAY + 7 * 3_600_000)],
  [new Date(ORIGIN - 10 * DAY), new Date(ORIGIN + 10 * DAY)],
  [new Date(ORIGIN + 4 * DAY), new Date(ORIGIN + 6 * DAY)],
  undefined,
];

type Kind = 'memory' | 'redis' | 'cluster';

/** Every key under `prefix` with what it holds, as text, on every master. */
async function dumpKeys(clients: Redis[], prefix: string): Promise<Array<{ key: string; type: string; content: string[]; client: Redis }>> {
  const dumped: Array<{ key: string; type: string; content: string[]; client: Redis }> = [];
  for (const client of clients) {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const type = await client.type(key);
        const content =
          type === 'hash'
            ? await client.hgetall(key).then((hash) => Object.entries(hash).flat())
            : type === 'zset'
              ? await client.zrange(key, 0, -1)
              : type === 'set'
                ? await client.smembers(key)
                : type === 'list' // the pairs index's block owners: tenants, never users
                  ? await client.lrange(key, 0, -1)
                  : [String(await client.getBuffer(key))];
        dumped.push({ key, type, content, client });
      }
    } while (cursor !== '0');
  }
  return dumped;
}

describe.each(DIALECTS)('forget on %s', (dialect) => {
  let db: TestDatabase;
  let cluster: TestRedisCluster;
  beforeAll(async () => {
    [db, cluster] = await Promise.all([createTestDatabase(dialect), startRedisCluster()]);
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
    await db?.drop();
  });

  describe.each<Kind>(['memory', 'redis', 'cluster'])('with the %s store', (kind) => {
    let store: SouvenirsStore;
    let services: IndexedServices;
    let prefix: string;
    let clients: Redis[];
    let close: () => Promise<void>;

    beforeEach(async () => {
      await clearSouvenirs(db);
      prefix = randomKeyPrefix('forget');
      if (kind === 'memory') {
        const memory = new MemorySouvenirsStore();
        store = memory;
        clients = [];
        close = async () => memory.onModuleDestroy();
      } else if (kind === 'redis') {
        const redis = new RedisSouvenirsStore({ redis: REDIS_URL, keyPrefix: prefix });
        store = redis;
        clients = [new Redis(REDIS_URL)];
        close = async () => {
          for (const client of clients) {
            const keys = await client.keys(`${prefix}*`);
            if (keys.length > 0) await client.del(...keys);
            await client.quit();
          }
          await redis.close();
        };
      } else {
        const client = new Cluster(cluster.nodes.map(({ host, port }) => ({ host, port })));
        const redis = new RedisSouvenirsStore({ redis: client, keyPrefix: prefix });
        store = redis;
        clients = cluster.nodes.map(({ host, port }) => new Redis({ host, port }));
        close = async () => {
          for (const raw of clients) await raw.quit();
          await client.quit();
        };
      }
      services = createIndexedServices(db, store, { timeZone: TIME_ZONE, rateLimitSeconds: 600 });
    });
    afterEach(async () => {
      await close();
    });

    /** Rows of everyone over a week, the victim's through every write path. */
    async function seed(): Promise<void> {
      const { activity } = services;
      await activity.backfill(
        OTHERS.flatMap((user, u) => [0, 1, 2, 3, 5].map((d) => ({ user, when: new Date(ORIGIN + d * DAY + (u + 1) * 3_600_000) }))),
      );
      await activity.backfill([0, 2, 4].map((d) => ({ user: VICTIM, when: new Date(ORIGIN + d * DAY + 9 * 3_600_000) })));
      await activity.souvenez(VICTIM, { when: new Date(ORIGIN + DAY + 15 * 3_600_000) });
      await activity.souvenez(VICTIM, { when: new Date(ORIGIN + 5 * DAY + 20 * 3_600_000), ratelimit: false });
    }

    /** Every count and analytics answer, which builds days, logs and first activity in the store. */
    async function answers(): Promise<unknown[]> {
      const { activity, reports } = services;
      const counts = [];
      for (const range of RANGES) counts.push(await activity.countActiveUsers(range && { start: range[0], end: range[1] }));
      const window = { start: new Date(ORIGIN - 3 * DAY), end: new Date(ORIGIN + 8 * DAY) };
      return [
        counts,
        await reports.retention({ ...window, period: 'day' }),
        await reports.lifecycle({ ...window, period: 'day' }),
        await reports.activeUsers(window),
      ];
    }

    /** The same answers from a fresh store: what SQL says, derived anew. */
    async function answersFromScratch(): Promise<unknown[]> {
      const fresh = new MemorySouvenirsStore();
      const saved = services;
      services = createIndexedServices(db, fresh, { timeZone: TIME_ZONE });
      try {
        return await answers();
      } finally {
        services = saved;
        fresh.onModuleDestroy();
      }
    }

    it('erases the rows, claims and index entries of the user, and every answer equals SQL without them', async () => {
      await seed();
      await answers(); // the store now holds the victim in days, logs, first activity, numbering, claims
      // The victim's part of the site index: its shard's on a Cluster (see redis-index-shards.ts).
      const tag = kind === 'cluster' ? siteShardTags()[siteShardOf(VICTIM)] : '{activity}';
      const numbers = kind === 'memory' ? [] : await dumpKeys(clients, `${prefix}:${tag}:numbers`);
      const number = numbers.length === 0 ? null : await numbers[0].client.hget(numbers[0].key, VICTIM);
      if (kind !== 'memory') expect(number).not.toBeNull();

      expect(await services.activity.forget(VICTIM)).toEqual({ rows: 5 });

      expect(await db.dataSource.getRepository(Souvenir).countBy({ userId: VICTIM })).toBe(0);
      for (const range of RANGES) {
        if (range) expect(await services.activity.countActiveUsers({ start: range[0], end: range[1] })).toBe(await modelCount(db, range[0], range[1]));
      }
      expect(await answers()).toEqual(await answersFromScratch());
      if (kind === 'memory') {
        // Nothing numbers the victim any more, and its claim is gone: its next activity is written.
        const members = await store.readActiveDays!([], [VICTIM]);
        expect(members.users).toEqual([null]);
      } else {
        const keys = await dumpKeys(clients, prefix);
        expect(keys.length).toBeGreaterThan(3);
        for (const { key, content, client } of keys) {
          expect(key).not.toContain(VICTIM);
          for (const text of content) expect(text).not.toContain(VICTIM);
          if (key.endsWith(`${tag}:numbers`)) expect(content.filter((_, i) => i % 2 === 1)).not.toContain(number);
          // Its bit in every day, its first day, its rows in every log: cleared.
          if (key.includes(`${tag}:day:`)) expect(await client.getbit(key, Number(number))).toBe(0);
          if (key.includes(`${tag}:first`)) expect(await client.bitfield(key, 'GET', 'u32', `#${number}`)).toEqual([0]);
          if (key.includes(`${tag}:log:`)) {
            const log = await client.getBuffer(key);
            for (let at = 8; log && at < log.length; at += 8) expect(log.readUInt32BE(at)).not.toBe(Number(number));
          }
        }
      }
      // The rate-limit claim went with it: the next request is recorded, as a new user.
      expect(await services.activity.souvenez(VICTIM, { when: new Date(ORIGIN + 5 * DAY + 20 * 3_600_000 + 60_000) })).toBe('added');
      expect(await answers()).toEqual(await answersFromScratch());
    });

    it('is idempotent, and leaves other users as they were', async () => {
      await seed();
      const before = await db.dataSource.getRepository(Souvenir).count();
      await answers();
      expect(await services.activity.forget(VICTIM)).toEqual({ rows: 5 });
      expect(await services.activity.forget(VICTIM)).toEqual({ rows: 0 });
      expect(await db.dataSource.getRepository(Souvenir).count()).toBe(before - 5);
      expect(await answers()).toEqual(await answersFromScratch());
      expect(await services.activity.lastSeen(VICTIM)).toBeNull();
      expect(await services.activity.lastSeen('u1')).toEqual(new Date(ORIGIN + 5 * DAY + 3_600_000));
    });

    it('a souvenez whose row was deleted by a racing forget does not put the user back in the index', async () => {
      await seed();
      await answers();
      // The victim's next request: claimed and inserted before the forget's DELETE, its add held back until after.
      let releaseAdd!: () => void;
      const held = new Promise<void>((resolve) => (releaseAdd = resolve));
      let inserted!: () => void;
      const insertedAt = new Promise<void>((resolve) => (inserted = resolve));
      const holding = new Proxy(store, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver) as unknown;
          if (property !== 'addActiveUsers' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
          return async (writes: readonly ActiveUsersOfDay[]) => {
            if (writes.some(({ users }) => users.includes(VICTIM))) {
              inserted();
              await held;
            }
            return (value as (w: readonly ActiveUsersOfDay[]) => Promise<void>).call(target, writes);
          };
        },
      });
      const racing = createIndexedServices(db, holding, { timeZone: TIME_ZONE, rateLimitSeconds: 600 });
      const request = racing.activity.souvenez(VICTIM, { when: new Date(ORIGIN + 6 * DAY + 3_600_000) });
      await insertedAt; // its row is committed, its add not yet made
      const forgetting = services.activity.forget(VICTIM);
      // The forget deleted the row, and waits for the claim's add before it forgets the user in the store.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await db.dataSource.getRepository(Souvenir).countBy({ userId: VICTIM })).toBe(0);
      releaseAdd();
      await request;
      expect(await forgetting).toEqual({ rows: 6 });
      expect(await answers()).toEqual(await answersFromScratch());
      const wide = [new Date(ORIGIN - 10 * DAY), new Date(ORIGIN + 10 * DAY)] as const;
      expect(await services.activity.countActiveUsers({ start: wide[0], end: wide[1] })).toBe(OTHERS.length);
    });

    it('with { tenant }, erases the activity of that tenant only; without, every tenant\'s, claims included', async () => {
      await seed();
      const { activity } = services;
      const t1 = new Date(ORIGIN + 7 * DAY + 3_600_000); // a day of no other row of the victim
      const t2 = new Date(ORIGIN + 6 * DAY + 5 * 3_600_000);
      expect(await activity.souvenez(VICTIM, { when: t1, tenant: 't1' })).toBe('added');
      expect(await activity.souvenez(VICTIM, { when: t2, tenant: 't2' })).toBe('added');
      await answers();
      // Both tenants' indexes hold the victim's days before the forget.
      const week = { start: new Date(ORIGIN), end: new Date(ORIGIN + 8 * DAY) };
      expect(await activity.countActiveUsers({ ...week, tenant: 't1' })).toBe(1);
      expect(await activity.countActiveUsers({ ...week, tenant: 't2' })).toBe(1);
      expect(await services.reports.tenantsUsage(week)).toEqual([{ tenant: 't1', activeUsers: 1 }, { tenant: 't2', activeUsers: 1 }]);
      expect(await activity.forget(VICTIM, { tenant: 't1' })).toEqual({ rows: 1 });
      const exported = [];
      for await (const row of activity.exportUser(VICTIM)) exported.push(row);
      expect(exported.map(({ tenant }) => tenant)).toEqual([null, null, null, null, null, 't2']);
      expect(await answers()).toEqual(await answersFromScratch());
      expect(await activity.countActiveUsers({ start: new Date(ORIGIN), end: new Date(ORIGIN + 8 * DAY), tenant: 't2' })).toBe(1);
      expect(await activity.countActiveUsers({ start: new Date(ORIGIN), end: new Date(ORIGIN + 8 * DAY), tenant: 't1' })).toBe(0);
      expect(await services.reports.tenantsUsage(week)).toEqual([{ tenant: 't2', activeUsers: 1 }]);
      // Rate-limited again in t2 and site-wide until the full forget drops both claims.
      expect(await activity.souvenez(VICTIM, { when: new Date(t2.getTime() + 60_000), tenant: 't2' })).toBe('rate-limited');
      expect(await activity.forget(VICTIM)).toEqual({ rows: 6 });
      if (kind !== 'memory') {
        for (const { key, content } of await dumpKeys(clients, prefix)) {
          expect(key).not.toContain(VICTIM);
          for (const text of content) expect(text).not.toContain(VICTIM);
        }
      }
      expect(await activity.countActiveUsers({ ...week, tenant: 't2' })).toBe(0);
      expect(await services.reports.tenantsUsage(week)).toEqual([]);
      expect(await activity.souvenez(VICTIM, { when: new Date(t2.getTime() + 120_000), tenant: 't2' })).toBe('added');
      expect(await answers()).toEqual(await answersFromScratch());
    });

    it('exports every row of the user, oldest first, and nothing of others', async () => {
      await seed();
      const rows = [];
      for await (const row of services.activity.exportUser(VICTIM)) rows.push(row);
      const stored = await db.dataSource.getRepository(Souvenir).find({ where: { userId: VICTIM }, order: { id: 'ASC' } });
      expect(rows).toEqual(stored.map(({ when }) => ({ when, tenant: null })));
      expect(rows).toHaveLength(5);
    });
  });
});
