import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import { RedisActiveDays } from '../../../lib/store/redis/redis-active-days.js';
import { RedisSouvenirsStore } from '../../../lib/store/redis/redis-souvenirs.store.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { startRedisCluster, type TestRedisCluster } from '../../support/redis-cluster.js';
import { randomKeyPrefix } from '../../support/redis-test-keys.js';
import { clearSouvenirs } from '../activity/activity-test-kit.js';
import { createIndexedServices, insertBehindTheBack } from './active-index-kit.js';

// Issue 19.3: on a Redis Cluster the site-wide index is split in shards (users by a hash of their
// id, each shard an index of its own under its own hash tag), so every master holds a share of it,
// and the tenants' indexes beside; counts stay those of SQL.

const DAY_MS = 86_400_000;
const ORIGIN = Date.UTC(2026, 2, 2);
const USERS = 100_000;
const TENANTS = 100;

interface Row {
  user: string;
  when: Date;
  tenant: string;
}

/** The brute-force model: the distinct users of `rows` in `[start, end)` (of `tenant` when given). */
function modelCount(rows: readonly Row[], start: Date, end: Date, tenant?: string): number {
  return new Set(rows.filter((row) => row.when >= start && row.when < end && (tenant === undefined || row.tenant === tenant)).map((row) => row.user)).size;
}

/** The keys matching `match` on each master (SCAN, so a master's keys may not all be one slot's). */
async function keysPerMaster(masters: Redis[], match: string): Promise<string[][]> {
  return Promise.all(
    masters.map(async (node) => {
      const found: string[] = [];
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', match, 'COUNT', 1000);
        cursor = next;
        found.push(...keys);
      } while (cursor !== '0');
      return found;
    }),
  );
}

let cluster: TestRedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

describe('the site-wide index on a 3-master Redis Cluster', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('after activity of 100k users in 100 tenants, every master holds part of the site index and of the tenants', async () => {
    await clearSouvenirs(db);
    const keyPrefix = randomKeyPrefix('shards');
    const client = new Cluster([...cluster.nodes]);
    try {
      const store = new RedisSouvenirsStore({ redis: client, keyPrefix });
      const { activity } = createIndexedServices(db, store, { rateLimitSeconds: 3600 });
      // Each user on one or two of three days, in tenant u % 100; every 50th also in a second tenant.
      const entries: Row[] = Array.from({ length: USERS }, (_, u) => {
        const when = new Date(ORIGIN + (u % 3) * DAY_MS + (u % 86_000) * 1000);
        const rows = [{ user: `u${u}`, when, tenant: `tenant-${u % TENANTS}` }];
        if (u % 7 === 0) rows.push({ user: `u${u}`, when: new Date(when.getTime() + DAY_MS), tenant: `tenant-${u % TENANTS}` });
        if (u % 50 === 0) rows.push({ user: `u${u}`, when: new Date(when.getTime() + 60_000), tenant: `tenant-${(u + 1) % TENANTS}` });
        return rows;
      }).flat();
      await activity.backfill(entries, { batchSize: 5000 });
      // Live activity too, through the claim of each user's own shard.
      for (let u = 0; u < 30; u++) {
        const live = { user: `live-${u}`, when: new Date(ORIGIN + DAY_MS + u * 60_000), tenant: 'tenant-0' };
        await expect(activity.souvenez(live.user, live)).resolves.toBe('added');
        entries.push(live);
      }

      const ranges: Array<[Date, Date]> = [
        [new Date(ORIGIN), new Date(ORIGIN + 4 * DAY_MS)],
        [new Date(ORIGIN + DAY_MS), new Date(ORIGIN + 2 * DAY_MS)],
        [new Date(ORIGIN + 5 * 3_600_000), new Date(ORIGIN + 2 * DAY_MS + 7 * 3_600_000)],
      ];
      for (const [start, end] of ranges) {
        const expected = modelCount(entries, start, end);
        expect(expected).toBeGreaterThan(30_000);
        await expect(activity.countActiveUsers({ start, end })).resolves.toBe(expected);
        // Answered from the index now (built by the first count): the same again.
        await expect(activity.countActiveUsers({ start, end })).resolves.toBe(expected);
      }
      for (const tenant of ['tenant-0', 'tenant-1', 'tenant-99']) {
        const [start, end] = ranges[0];
        await expect(activity.countActiveUsers({ start, end, tenant })).resolves.toBe(modelCount(entries, start, end, tenant));
      }
      for (let t = 0; t < TENANTS; t++) await activity.countActiveUsers({ start: ranges[0][0], end: ranges[0][1], tenant: `tenant-${t}` });

      const masters = client.nodes('master');
      expect(masters).toHaveLength(3);
      const shardDays = await keysPerMaster(masters, `${keyPrefix}:{activity-s*}:day:*`);
      const shardNumbers = await keysPerMaster(masters, `${keyPrefix}:{activity-s*}:numbers`);
      const tenantDays = await keysPerMaster(masters, `${keyPrefix}:{activity:t:*}:day:*`);
      expect(shardDays.every((keys) => keys.length > 0)).toBe(true);
      expect(shardNumbers.every((keys) => keys.length > 0)).toBe(true);
      expect(tenantDays.every((keys) => keys.length > 0)).toBe(true);
      // The site index is on no single slot any more: no day under `{activity}`.
      expect(await keysPerMaster(masters, `${keyPrefix}:{activity}:day:*`)).toEqual([[], [], []]);
      // Each master's share of the site's users is a fair one (8 shards: 2 or 3 a master).
      const numbered = await Promise.all(
        masters.map(async (node, at) => {
          const lengths = await Promise.all(shardNumbers[at].map((key) => node.hlen(key)));
          return lengths.reduce((sum, n) => sum + n, 0);
        }),
      );
      for (const share of numbered) expect(share).toBeGreaterThan(USERS / 5);
    } finally {
      await client.quit();
    }
  }, 240_000);

  it('counts right after an upgrade from the single-slot layout: the old `{activity}` keys are not read, days are built anew from SQL', async () => {
    await clearSouvenirs(db);
    const keyPrefix = randomKeyPrefix('shards-upgrade');
    const client = new Cluster([...cluster.nodes]);
    try {
      // What the version before the split left: rows in SQL, and their day complete under `{activity}`
      // (other users too, so that reading it would show).
      const id = `UTC/${new Date(ORIGIN).toISOString().slice(0, 10)}`;
      await insertBehindTheBack(db, ['a', 'b', 'c'].map((userId) => ({ userId, when: new Date(ORIGIN + 3_600_000) })));
      const old = new RedisActiveDays(client, (key) => `${keyPrefix}:${key}`);
      await old.add([{ day: { id, expireAtMs: Date.now() + DAY_MS }, users: ['old-1', 'old-2', 'old-3', 'old-4', 'a'], complete: true }]);
      expect(await client.exists(`${keyPrefix}:{activity}:day:${id}`)).toBe(1);

      const store = new RedisSouvenirsStore({ redis: client, keyPrefix });
      const { activity } = createIndexedServices(db, store);
      const day = { start: new Date(ORIGIN), end: new Date(ORIGIN + DAY_MS) };
      await expect(activity.countActiveUsers(day)).resolves.toBe(3);
      await expect(activity.souvenez('d', { when: new Date(ORIGIN + 7_200_000) })).resolves.toBe('added');
      await expect(activity.countActiveUsers(day)).resolves.toBe(4);
      // Built in the shards, from SQL; the old day left as it was.
      expect((await keysPerMaster(client.nodes('master'), `${keyPrefix}:{activity-s*}:day:${id}`)).flat().length).toBeGreaterThan(0);
      expect(await client.bitcount(`${keyPrefix}:{activity}:day:${id}`)).toBe(6);
    } finally {
      await client.quit();
    }
  });
});

describe('a shard of the site index lost on a Cluster', () => {
  it("makes its days incomplete, never empty: a count names them, a read gives null; so does a shard's numbering lost", async () => {
    const client = new Cluster([...cluster.nodes]);
    const keyPrefix = randomKeyPrefix('shards-lost');
    const store = new RedisSouvenirsStore({ redis: client, keyPrefix });
    try {
      const users = Array.from({ length: 400 }, (_, i) => `lost-${i}`);
      const day = { id: `UTC/${randomUUID()}`, expireAtMs: Date.now() + DAY_MS };
      await store.addActiveUsers!([{ day, users, complete: true }]);
      await expect(store.countActiveUsers!([{ days: [day.id], users: [] }])).resolves.toEqual([{ count: 400 }]);
      // As an eviction would: one shard's day key goes, the others stay complete.
      const shardDays = await keysOfNodes(client, `${keyPrefix}:{activity-s*}:day:${day.id}`);
      expect(shardDays.length).toBeGreaterThanOrEqual(6);
      await shardDays[3].node.del(shardDays[3].key);
      await expect(store.countActiveUsers!([{ days: [day.id], users: [] }])).resolves.toEqual([{ incompleteDays: [day.id] }]);
      expect((await store.readActiveDays!([day.id], [])).days).toEqual([null]);
      const unions = await store.readActiveDayUnions!([[day.id]], []);
      expect([unions.unions, unions.incompleteDays]).toEqual([[null], [day.id]]);
      // A shard's numbering lost: its days are not trusted either.
      const other = { id: `UTC/${randomUUID()}`, expireAtMs: Date.now() + DAY_MS };
      await store.addActiveUsers!([{ day: other, users, complete: true }]);
      const numbers = await keysOfNodes(client, `${keyPrefix}:{activity-s*}:numbers`);
      await numbers[0].node.del(numbers[0].key);
      await expect(store.countActiveUsers!([{ days: [other.id], users: [] }])).resolves.toEqual([{ incompleteDays: [other.id] }]);
    } finally {
      await store.close();
      await client.quit();
    }
  });

  it('is rebuilt from SQL by the next count, which equals the model', async () => {
    const db = await createTestDatabase('sqlite');
    const client = new Cluster([...cluster.nodes]);
    const keyPrefix = randomKeyPrefix('shards-rebuilt');
    try {
      const store = new RedisSouvenirsStore({ redis: client, keyPrefix });
      const { activity } = createIndexedServices(db, store);
      const rows = Array.from({ length: 500 }, (_, u) => ({ user: `r${u}`, when: new Date(ORIGIN + (u % 2) * DAY_MS + u * 1000) }));
      await activity.backfill(rows);
      const range = { start: new Date(ORIGIN), end: new Date(ORIGIN + 2 * DAY_MS) };
      await expect(activity.countActiveUsers(range)).resolves.toBe(500);
      for (const { node, key } of (await keysOfNodes(client, `${keyPrefix}:{activity-s*}:day:*`)).filter((_, i) => i % 3 === 0)) await node.del(key);
      await expect(activity.countActiveUsers(range)).resolves.toBe(500);
      await expect(activity.countActiveUsers({ start: range.start, end: new Date(ORIGIN + DAY_MS) })).resolves.toBe(250);
    } finally {
      await client.quit();
      await db.drop();
    }
  });
});

/** The keys matching `match` on the Cluster's masters, with the master of each. */
async function keysOfNodes(client: Cluster, match: string): Promise<Array<{ node: Redis; key: string }>> {
  const masters = client.nodes('master');
  return (await keysPerMaster(masters, match)).flatMap((keys, at) => keys.map((key) => ({ node: masters[at], key })));
}

describe('the shards of the site index read back as one index, against a brute-force model', () => {
  // Users spread over the shards; every reply must number them as one index: each user one number
  // in every day, union and log of the reply, the sets exactly the model's.
  const POOL = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? `user-${i}` : i % 3 === 1 ? `${i}` : `ü{${i}}`));
  const START = Date.UTC(2026, 2, 2);
  const write = fc.record({ day: fc.integer({ min: 0, max: 2 }), users: fc.uniqueArray(fc.integer({ min: 0, max: POOL.length - 1 }), { maxLength: 120 }), minute: fc.integer({ min: 0, max: 1439 }) });

  it('gives the days, unions, logs and counts of the model', async () => {
    const client = new Cluster([...cluster.nodes]);
    const store = new RedisSouvenirsStore({ redis: client, keyPrefix: randomKeyPrefix('shards-model') });
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(write, { minLength: 1, maxLength: 12 }), fc.uniqueArray(fc.integer({ min: 0, max: POOL.length - 1 }), { maxLength: 40 }), async (writes, asked) => {
          const run = randomUUID();
          const refs = [0, 1, 2].map((d) => ({ id: `UTC/${run}/${d}`, expireAtMs: Date.now() + DAY_MS, startMs: START + d * DAY_MS }));
          const model = refs.map(() => new Set<string>());
          const rows = refs.map((): string[] => []);
          // Day 2 keeps a log from its start: every later add appends its rows.
          await store.addActiveDayLog!({ day: refs[2], build: 2, users: [], whens: [], begin: true, complete: true });
          await store.addActiveUsers!(refs.map((day) => ({ day, users: [], complete: true })));
          for (const { day, users, minute } of writes) {
            const ids = users.map((u) => POOL[u]);
            await store.addActiveUsers!([{ day: refs[day], users: ids, whens: ids.map(() => refs[day].startMs + minute * 60_000) }]);
            ids.forEach((id) => model[day].add(id));
            if (day === 2) rows[2].push(...ids.map((id) => `${id}@${minute * 60_000}`));
          }
          const users = asked.map((u) => POOL[u]);
          const read = await store.readActiveDays!(refs.map(({ id }) => id), users, undefined, [refs[2].id]);
          refs.forEach((_, d) => {
            expect(read.days[d]!.count()).toBe(model[d].size);
            users.forEach((user, i) => expect(read.users[i] !== null && read.days[d]!.has(read.users[i]!)).toBe(model[d].has(user)));
          });
          // The numbers of one reply are one user each.
          const numbered = read.users.filter((n): n is number => n !== null);
          expect(new Set(numbered).size).toBe(numbered.length);
          const idOf = new Map(read.users.map((n, i) => [n, users[i]]));
          const logged = read.logs![0]!.rows;
          const shown: string[] = [];
          for (let i = 0; i < logged.length; i += 2) if (idOf.has(logged[i])) shown.push(`${idOf.get(logged[i])}@${logged[i + 1]}`);
          expect(shown.sort()).toEqual(rows[2].filter((row) => users.includes(row.slice(0, row.lastIndexOf('@')))).sort());
          expect(logged.length / 2).toBe(rows[2].length);
          const unions = await store.readActiveDayUnions!([[refs[0].id, refs[1].id], [refs[2].id], refs.map(({ id }) => id)], [refs[2].id]);
          const union = (days: number[]) => new Set(days.flatMap((d) => [...model[d]]));
          expect(unions.unions.map((set) => set!.count())).toEqual([union([0, 1]).size, model[2].size, union([0, 1, 2]).size]);
          expect(unions.logs[0]!.rows.length).toBe(logged.length);
          const [count] = await store.countActiveUsers!([{ days: refs.slice(0, 2).map(({ id }) => id), users }]);
          expect(count).toEqual({ count: new Set([...union([0, 1]), ...users]).size });
        }),
        { numRuns: 15 },
      );
    } finally {
      await store.close();
      await client.quit();
    }
  }, 120_000);
});
