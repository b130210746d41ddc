import { rateLimitSubject } from '../../../lib/store/rate-limit-subject.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { MemorySouvenirsStore } from '../../../lib/store/memory/memory-souvenirs.store.js';
import { RedisSouvenirsStore } from '../../../lib/store/redis/redis-souvenirs.store.js';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { modelLifecycle, modelRetention, modelTenantsUsage } from '../../support/analytics-model.js';
import { createTestDatabase, DIALECTS, type Dialect, type TestDatabase } from '../../support/databases.js';
import { randomKeyPrefix } from '../../support/redis-test-keys.js';
import { startStandaloneRedis, type StandaloneRedis } from '../../support/standalone-redis.js';
import { clearSouvenirs } from '../activity/activity-test-kit.js';
import { createIndexedServices, insertBehindTheBack, type IndexedServices } from './active-index-kit.js';

/**
 * The index's invariants under live operations (docs/activity.md, "Invariants"):
 * it holds only users of committed rows, a complete day holds every committed row
 * of it, a rebuild replaces, and what Redis loses is detected before it is read.
 * Each case runs traffic for a second or two beside the fault, then checks every
 * count and the first-activity answers (retention, lifecycle) against plain SQL.
 */

const ZONE = 'UTC';
const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Five whole UTC days of activity, in the past of the real clock (day keys keep their expiry). */
const FIRST_DAY = Date.UTC(2026, 5, 1);
const DAYS = 5;
const WINDOW = { start: new Date(FIRST_DAY), end: new Date(FIRST_DAY + DAYS * DAY) };

/** A deterministic stream of numbers below `n`. */
function randomness(seed: number): (n: number) => number {
  let state = seed;
  return (n) => Math.floor(((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * n);
}

async function rows(db: TestDatabase): Promise<{ userId: string; when: Date; tenant: string | null }[]> {
  return (await db.dataSource.getRepository(Souvenir).find()).map(({ userId, when, tenant }) => ({ userId, when, tenant }));
}

/** The tenant of traffic writer `w`: three tenants, and one writer in four with none. */
const tenantOf = (w: number): string | undefined => (w % 4 === 3 ? undefined : `org-${w % 3}`);

/** Every per-day count, the whole window, and daily retention and lifecycle equal plain SQL. */
async function expectEqualToSql(db: TestDatabase, services: IndexedServices): Promise<void> {
  const stored = await rows(db);
  expect(stored.length).toBeGreaterThan(0);
  const counts: number[] = [];
  const model: number[] = [];
  for (let d = 0; d < DAYS; d++) {
    const [start, end] = [new Date(FIRST_DAY + d * DAY), new Date(FIRST_DAY + (d + 1) * DAY)];
    counts.push(await services.activity.countActiveUsers({ start, end }));
    model.push(new Set(stored.filter(({ when }) => when >= start && when < end).map(({ userId }) => userId)).size);
  }
  counts.push(await services.activity.countActiveUsers(WINDOW));
  model.push(new Set(stored.map(({ userId }) => userId)).size);
  // Ranges off midnight: their parts of days come from the day logs.
  for (let d = 0; d < DAYS - 1; d++) {
    const [start, end] = [new Date(FIRST_DAY + d * DAY + 7 * HOUR), new Date(FIRST_DAY + (d + 1) * DAY + 13 * HOUR + 1)];
    counts.push(await services.activity.countActiveUsers({ start, end }));
    model.push(new Set(stored.filter(({ when }) => when >= start && when < end).map(({ userId }) => userId)).size);
  }
  expect(counts).toEqual(model);
  // The billing run (the pairs index): the window, each day, and ranges off midnight (edges from SQL).
  const ranges: [Date, Date][] = [[WINDOW.start, WINDOW.end]];
  for (let d = 0; d < DAYS; d++) ranges.push([new Date(FIRST_DAY + d * DAY), new Date(FIRST_DAY + (d + 1) * DAY)]);
  for (let d = 0; d < DAYS - 1; d++) ranges.push([new Date(FIRST_DAY + d * DAY + 7 * HOUR), new Date(FIRST_DAY + (d + 1) * DAY + 13 * HOUR + 1)]);
  const usage = await Promise.all(ranges.map(([start, end]) => services.reports.tenantsUsage({ start, end })));
  expect(usage).toEqual(ranges.map(([start, end]) => modelTenantsUsage(stored, start, end)));
  await expectSubsetEqualToSql(db, services);
  const cohorts = await services.reports.retention({ ...WINDOW, period: 'day' });
  expect(cohorts.map(({ size, retained }) => [size, retained])).toEqual(
    modelRetention(stored, WINDOW.start, WINDOW.end, 'day', 'classic', ZONE, 1).map(({ size, retained }) => [size, retained]),
  );
  const lifecycle = await services.reports.lifecycle({ ...WINDOW, period: 'day' });
  expect(lifecycle.map(({ period, ...row }) => row)).toEqual(
    modelLifecycle(stored, WINDOW.start, WINDOW.end, 'day', ZONE, 1).map(({ period, ...row }) => row),
  );
}

/** A subset's counts (every other user stored, and one never active), intersected with the index in the store, equal SQL's. */
async function expectSubsetEqualToSql(db: TestDatabase, services: IndexedServices): Promise<void> {
  const stored = await rows(db);
  const users = [...new Set(stored.map(({ userId }) => userId))].sort();
  const among = [...users.filter((_, i) => i % 2 === 0), 'never-active'];
  const counts: number[] = [];
  const model: number[] = [];
  for (const [start, end] of [[WINDOW.start, WINDOW.end], ...Array.from({ length: DAYS }, (_, d) => [new Date(FIRST_DAY + d * DAY), new Date(FIRST_DAY + (d + 1) * DAY)])]) {
    counts.push(await services.activity.countActiveUsers({ start, end, among }));
    model.push(new Set(stored.filter(({ userId, when }) => among.includes(userId) && when >= start && when < end).map(({ userId }) => userId)).size);
  }
  expect(counts).toEqual(model);
}

/**
 * Runs `step` over and over until `stop()`; resolves when the last one has finished.
 * Each turn yields to the event loop: a count the memory store answers without I/O
 * would otherwise starve every other caller.
 */
async function loop(stop: () => boolean, step: () => Promise<unknown>): Promise<void> {
  while (!stop()) {
    await step();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * `writers` concurrent callers of `souvenez` for `ms`, each with its own users and a
 * random `when` in the window (so each call is a granted claim), while counts of
 * random days run beside them and build days from SQL, and `beside` (the fault)
 * runs in a loop until 400 ms before the end: the last writes and counts then
 * follow the last fault, as they would on a live site.
 */
async function traffic(services: IndexedServices, ms: number, beside: () => Promise<unknown> = async () => {}, writers = 12): Promise<void> {
  const deadline = Date.now() + ms;
  const stop = () => Date.now() > deadline;
  const stopFault = () => Date.now() > deadline - 400;
  const random = randomness(ms);
  let calls = 0;
  const workers = Array.from({ length: writers }, (_, w) =>
    loop(stop, async () => {
      const user = `t${w}-${calls++}`;
      await services.activity.souvenez(user, { when: new Date(FIRST_DAY + random(DAYS * DAY)), tenant: tenantOf(w) }).catch(() => undefined);
    }),
  );
  const counter = loop(stop, async () => {
    const d = random(DAYS);
    await services.activity.countActiveUsers({ start: new Date(FIRST_DAY + d * DAY), end: new Date(FIRST_DAY + (d + 1) * DAY) });
    // Off midnight too, so day logs are built and written beside the fault.
    await services.activity.countActiveUsers({ start: new Date(FIRST_DAY + d * DAY + 5 * HOUR), end: new Date(FIRST_DAY + d * DAY + 20 * HOUR) });
    // The billing run too, so the pairs index's days are built beside the fault.
    await services.reports.tenantsUsage({ start: new Date(FIRST_DAY + d * DAY), end: new Date(FIRST_DAY + (d + 2) * DAY) });
  });
  await Promise.all([...workers, counter, loop(stopFault, beside)]);
}

/** Statements that make every INSERT into the souvenirs table wait `seconds` before it commits. */
function slowInserts(db: TestDatabase, seconds: number): string[] {
  const schema = (db.options as { schema: string }).schema;
  return [
    `CREATE FUNCTION "${schema}".slow_insert() RETURNS trigger AS $$ BEGIN PERFORM pg_sleep(${seconds}); RETURN NULL; END $$ LANGUAGE plpgsql`,
    `CREATE TRIGGER slow_insert BEFORE INSERT ON "${schema}".souvenirs FOR EACH STATEMENT EXECUTE FUNCTION "${schema}".slow_insert()`,
  ];
}

async function dropSlowInserts(db: TestDatabase): Promise<void> {
  const schema = (db.options as { schema: string }).schema;
  await db.dataSource.query(`DROP TRIGGER IF EXISTS slow_insert ON "${schema}".souvenirs`);
  await db.dataSource.query(`DROP FUNCTION IF EXISTS "${schema}".slow_insert()`);
}

/** Statements that make an INSERT of user `poison` fail, on each dialect. */
function poisonStatements(db: TestDatabase): { create: string[]; drop: string[] } {
  switch (db.dialect) {
    case 'postgres': {
      const schema = (db.options as { schema: string }).schema;
      return {
        create: [
          `CREATE FUNCTION "${schema}".poison() RETURNS trigger AS $$ BEGIN IF NEW.user_id = 'poison' THEN RAISE EXCEPTION 'poisoned row'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
          `CREATE TRIGGER poison BEFORE INSERT ON "${schema}".souvenirs FOR EACH ROW EXECUTE FUNCTION "${schema}".poison()`,
        ],
        drop: [`DROP TRIGGER poison ON "${schema}".souvenirs`, `DROP FUNCTION "${schema}".poison()`],
      };
    }
    case 'mariadb':
      return {
        create: [
          `CREATE TRIGGER poison BEFORE INSERT ON souvenirs FOR EACH ROW BEGIN IF NEW.user_id = 'poison' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'poisoned row'; END IF; END`,
        ],
        drop: ['DROP TRIGGER poison'],
      };
    default:
      return {
        create: [`CREATE TRIGGER poison BEFORE INSERT ON souvenirs FOR EACH ROW WHEN NEW.user_id = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned row'); END`],
        drop: ['DROP TRIGGER poison'],
      };
  }
}

/** A store of `kind` on `redis` (its own key prefix), the services around it, and the prefix. */
interface Made {
  store: MemorySouvenirsStore | RedisSouvenirsStore;
  services: IndexedServices;
  keyPrefix: string;
}

function makeStore(db: TestDatabase, redis: StandaloneRedis, kind: 'memory' | 'redis'): Made {
  const keyPrefix = randomKeyPrefix();
  const store = kind === 'memory' ? new MemorySouvenirsStore() : new RedisSouvenirsStore({ redis: redis.url, keyPrefix });
  return { store, keyPrefix, services: createIndexedServices(db, store, { timeZone: ZONE }) };
}

async function closeStore({ store }: Made): Promise<void> {
  if (store instanceof RedisSouvenirsStore) await store.close();
  else store.onModuleDestroy();
}

function useSuite(dialect: Dialect): { db: TestDatabase; redis: StandaloneRedis; raw: Redis } {
  const suite = {} as { db: TestDatabase; redis: StandaloneRedis; raw: Redis };
  beforeAll(async () => {
    [suite.db, suite.redis] = await Promise.all([createTestDatabase(dialect), startStandaloneRedis()]);
    suite.raw = new Redis(suite.redis.url);
  });
  afterAll(async () => {
    await suite.raw?.quit();
    await suite.redis?.kill();
    await suite.db?.drop();
  });
  beforeEach(() => clearSouvenirs(suite.db));
  return suite;
}

describe('the active-users index under faults, on PostgreSQL with Redis', () => {
  const suite = useSuite('postgres');
  let made: Made;
  beforeEach(() => {
    made = makeStore(suite.db, suite.redis, 'redis');
  });
  afterEach(async () => {
    await closeStore(made);
    await dropSlowInserts(suite.db);
  });

  it('index keys deleted every ~10 ms while commits take 60 ms: every count and first activity equal SQL', async () => {
    for (const statement of slowInserts(suite.db, 0.06)) await suite.db.dataSource.query(statement);
    const random = randomness(3);
    let deleted = 0;
    await traffic(made.services, 2_500, async () => {
      // Any key of the site's, tenants' and pairs indexes but the numberings (their loss is another check's): days,
      // logs, first activity, builds, and the pairs' list of block owners (its loss loses the pairs' numbering).
      const keys = (await suite.raw.keys(`${made.keyPrefix}:{activity*`)).filter((key) => !/:numbers$|:ratelimit:/.test(key));
      if (keys.length > 0) deleted += await suite.raw.del(keys[random(keys.length)]);
      await new Promise((resolve) => setTimeout(resolve, 10));
    });
    expect(deleted).toBeGreaterThan(5); // fewer on a loaded machine, but faults there were
    await expectEqualToSql(suite.db, made.services);
  }, 30_000);

  it('the user numbering deleted alone, then new users: no old bit is read under a new number', async () => {
    await made.services.activity.backfill(Array.from({ length: 200 }, (_, i) => ({ user: `old${i % 50}`, when: new Date(FIRST_DAY + (i % DAYS) * DAY + i * 60_000) })));
    await expectEqualToSql(suite.db, made.services); // every day and first activity built, numbered 1…50
    expect(await suite.raw.del(`${made.keyPrefix}:{activity}:numbers`)).toBe(1);
    // Read before any write: nothing is trusted under a numbering without its mark, a subset's read first.
    await expectSubsetEqualToSql(suite.db, made.services);
    expect(await suite.raw.del(`${made.keyPrefix}:{activity}:numbers`)).toBe(1);
    await expectEqualToSql(suite.db, made.services);
    await suite.raw.del(`${made.keyPrefix}:{activity}:numbers`);
    // New users take numbers again from 1: they must not be read as the old users' bits, nor the other way round.
    for (let i = 0; i < 30; i++) await made.services.activity.souvenez(`new${i}`, { when: new Date(FIRST_DAY + (i % DAYS) * DAY + 3_600_000) });
    await made.services.activity.backfill(Array.from({ length: 20 }, (_, i) => ({ user: `old${i}`, when: new Date(FIRST_DAY + DAY - 60_000 * (i + 1)) })));
    await expectEqualToSql(suite.db, made.services);
  });

  it('a day a backfill finds empty, its key lost while a row commits before the backfill marks it: the mark keeps that row', async () => {
    const day = new Date(FIRST_DAY + 2 * DAY);
    const dayKey = `${made.keyPrefix}:{activity}:day:${ZONE}/${day.toISOString().slice(0, 10)}`;
    let services: IndexedServices | undefined;
    let hooked = false;
    // Between the backfill's probe of the day (no row) and its marking the day complete (a build
    // swapped in, or a merge into whatever the key holds): a row commits and is added, then its key is lost.
    const between = async () => {
      if (hooked) return;
      hooked = true;
      await services!.activity.souvenez('between', { when: new Date(day.getTime() + 3 * HOUR) });
      expect(await suite.raw.del(dayKey)).toBe(1);
    };
    const isMark = (method: string, writes: unknown): boolean =>
      Array.isArray(writes) &&
      writes.length > 0 &&
      writes.every((write: { users: unknown[]; finish?: boolean; complete?: boolean }) => write.users.length === 0 && (method === 'writeActiveDayBuilds' ? write.finish : write.complete));
    const store = new Proxy(made.store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function') return value;
        const method = (value as (...args: unknown[]) => unknown).bind(target);
        if (property !== 'writeActiveDayBuilds' && property !== 'addActiveUsers') return method;
        return async (writes: unknown) => {
          if (isMark(property, writes)) await between();
          return method(writes);
        };
      },
    });
    services = createIndexedServices(suite.db, store, { timeZone: ZONE });
    await services.activity.backfill([{ user: 'loaded', when: new Date(day.getTime() + 5 * HOUR) }]);
    expect(hooked).toBe(true);
    await expect(services.activity.countActiveUsers({ start: day, end: new Date(day.getTime() + DAY) })).resolves.toBe(2);
    await expectEqualToSql(suite.db, services);
  });

  it('FLUSHALL mid-traffic while commits take 60 ms: every count and first activity equal SQL', async () => {
    for (const statement of slowInserts(suite.db, 0.06)) await suite.db.dataSource.query(statement);
    let flushes = 0;
    await traffic(made.services, 2_000, async () => {
      await new Promise((resolve) => setTimeout(resolve, 40));
      await suite.raw.flushall();
      flushes += 1;
    });
    expect(flushes).toBeGreaterThan(3);
    await expectEqualToSql(suite.db, made.services);
  }, 30_000);
});

describe.each(['memory', 'redis'] as const)('live operations on PostgreSQL with the %s store', (kind) => {
  const suite = useSuite('postgres');
  let made: Made;
  beforeEach(() => {
    made = makeStore(suite.db, suite.redis, kind);
  });
  afterEach(async () => {
    await closeStore(made);
    await dropSlowInserts(suite.db);
  });

  it('reindex after rows changed by plain SQL: counts off midnight (the day logs) see the change too', async () => {
    await made.services.activity.backfill(Array.from({ length: 60 }, (_, i) => ({ user: `p${i % 20}`, when: new Date(FIRST_DAY + i * 2 * HOUR) })));
    await expectEqualToSql(suite.db, made.services); // days and the logs of the days cut built
    const repository = suite.db.dataSource.getRepository(Souvenir);
    const gone = (await repository.find()).filter(({ when }) => when.getTime() % DAY >= 8 * HOUR && when.getTime() % DAY < 12 * HOUR);
    expect(gone.length).toBeGreaterThan(0);
    await repository.delete(gone.map(({ id }) => id));
    await insertBehindTheBack(suite.db, [{ userId: 'sql-only', when: new Date(FIRST_DAY + DAY + 9 * HOUR) }]);
    await made.services.activity.reindex(WINDOW);
    await expectEqualToSql(suite.db, made.services);
  });

  it('reindex and backfill beside traffic: every count and first activity equal SQL', async () => {
    // Some history first, so reindex has days to replace and backfills lower first days.
    await made.services.activity.backfill(Array.from({ length: 300 }, (_, i) => ({ user: `h${i % 60}`, when: new Date(FIRST_DAY + 2 * DAY + i * 60_000) })));
    for (const statement of slowInserts(suite.db, 0.02)) await suite.db.dataSource.query(statement);
    let reindexes = 0;
    let backfilled = 0;
    const random = randomness(5);
    await traffic(made.services, 2_500, async () => {
      await Promise.all([
        made.services.activity.reindex(WINDOW).then(() => (reindexes += 1)),
        // Old users seen earlier (their first day moves back) and new ones, in every day.
        made.services.activity
          .backfill(Array.from({ length: 40 }, (_, i) => ({ user: i % 2 ? `h${random(60)}` : `b${backfilled}-${i}`, when: new Date(FIRST_DAY + random(DAYS * DAY)) })), { batchSize: 10 })
          .then(() => (backfilled += 1)),
      ]);
    });
    expect(reindexes).toBeGreaterThan(1);
    await expectEqualToSql(suite.db, made.services);
  }, 30_000);
});

describe.each(DIALECTS)('a failed write after a granted claim on %s', (dialect) => {
  const suite = useSuite(dialect);

  describe.each(['memory', 'redis'] as const)('with the %s store', (kind) => {
    let made: Made;
    beforeEach(() => {
      made = makeStore(suite.db, suite.redis, kind);
    });
    afterEach(() => closeStore(made));

    it('leaves nothing in the index (counts, first activity) and the retry is written', async () => {
      const { create, drop } = poisonStatements(suite.db);
      await made.services.activity.backfill(Array.from({ length: 20 }, (_, i) => ({ user: `ok${i}`, when: new Date(FIRST_DAY + DAY + i * 3_600_000) })));
      await expectEqualToSql(suite.db, made.services); // every day built and complete
      for (const statement of create) await suite.db.dataSource.query(statement);
      try {
        await expect(made.services.activity.souvenez('poison', { when: new Date(FIRST_DAY + DAY + 5_000) })).rejects.toThrow(/poisoned row/);
        await expect(made.services.activity.souvenez('poison', { when: new Date(FIRST_DAY + 3 * DAY) })).rejects.toThrow(/poisoned row/);
        await expectEqualToSql(suite.db, made.services);
        // A reindex neither brings the phantom back.
        await made.services.activity.reindex(WINDOW);
        await expectEqualToSql(suite.db, made.services);
      } finally {
        for (const statement of drop) await suite.db.dataSource.query(statement);
      }
      // The claim was released: the retry is written, and counted.
      await expect(made.services.activity.souvenez('poison', { when: new Date(FIRST_DAY + DAY + 6_000) })).resolves.toBe('added');
      await expectEqualToSql(suite.db, made.services);
      await expect(made.services.activity.countActiveUsers({ start: new Date(FIRST_DAY + DAY), end: new Date(FIRST_DAY + 2 * DAY) })).resolves.toBe(21);
    });
  });
});

describe.each(['memory', 'redis'] as const)('a writer dying between its commit and its add, on PostgreSQL with the %s store', (kind) => {
  const suite = useSuite('postgres');
  let made: Made;
  beforeEach(() => {
    made = makeStore(suite.db, suite.redis, kind);
  });
  afterEach(() => closeStore(made));

  it('leaves a pending add that a later count finds stale: the day is rebuilt, counts and first activity equal SQL', async () => {
    await made.services.activity.backfill(Array.from({ length: 20 }, (_, i) => ({ user: `ok${i}`, when: new Date(FIRST_DAY + DAY + i * 3_600_000) })));
    await expectEqualToSql(suite.db, made.services); // every day built and complete
    // What souvenez does up to the commit, then the process dies: no add.
    const when = new Date(FIRST_DAY + DAY + 7_000);
    expect(await made.store.claimRateLimit('ghost', when.getTime(), 3_600_000, made.services.index.dayOf(when))).not.toBeNull();
    await insertBehindTheBack(suite.db, [{ userId: 'ghost', when }]);
    made.services.index.pendingStaleMs = 100;
    await new Promise((resolve) => setTimeout(resolve, 150));
    await expectEqualToSql(suite.db, made.services);
    await expect(made.services.activity.countActiveUsers({ start: new Date(FIRST_DAY + DAY), end: new Date(FIRST_DAY + 2 * DAY) })).resolves.toBe(21);
  });

  it("a tenant row's writer dying so: that day of the tenant's index and of the pairs index is rebuilt, whichever is counted first", async () => {
    const day = { start: new Date(FIRST_DAY + DAY), end: new Date(FIRST_DAY + 2 * DAY) };
    const rows = Array.from({ length: 20 }, (_, i) => ({ user: `ok${i}`, when: new Date(FIRST_DAY + DAY + i * 3_600_000), tenant: i === 0 ? 'org-1' : 'org-0' }));
    await made.services.activity.backfill(rows);
    // Every day built and complete: the tenant's, and the pairs'.
    await expect(made.services.activity.countActiveUsers({ ...day, tenant: 'org-1' })).resolves.toBe(1);
    await expect(made.services.reports.tenantsUsage(day)).resolves.toEqual([{ tenant: 'org-0', activeUsers: 19 }, { tenant: 'org-1', activeUsers: 1 }]);
    // What souvenez does up to the commit, then the process dies: no add.
    const when = new Date(FIRST_DAY + DAY + 7_000);
    expect(await made.store.claimRateLimit(rateLimitSubject('ghost', 'org-1'), when.getTime(), 3_600_000, made.services.index.dayOf(when))).not.toBeNull();
    await insertBehindTheBack(suite.db, [{ userId: 'ghost', when, tenant: 'org-1' }]);
    made.services.index.pendingStaleMs = 100;
    await new Promise((resolve) => setTimeout(resolve, 150));
    // The tenant's count first, before any count of the site's: it too looks for stale pending adds.
    await expect(made.services.activity.countActiveUsers({ ...day, tenant: 'org-1' })).resolves.toBe(2);
    await expect(made.services.reports.tenantsUsage(day)).resolves.toEqual([{ tenant: 'org-0', activeUsers: 19 }, { tenant: 'org-1', activeUsers: 2 }]);
  });

  it('a duplicate after a granted claim clears its pending add (its row is committed): no needless rebuild', async () => {
    const when = new Date(FIRST_DAY + 2 * DAY + 5_000);
    await made.services.activity.backfill([{ user: 'twice', when }]);
    await expect(made.services.activity.souvenez('twice', { when, checkDuplicate: true })).resolves.toBe('duplicated');
    await expect(made.store.takeStalePendingDays(Date.now() + 1)).resolves.not.toContain(made.services.index.dayOf(when).id);
    await expectEqualToSql(suite.db, made.services);
  });
});
