import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { ConsoleLogger, Logger, type LoggerService } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { CapturingLogger, loggedDataSource } from '../../support/capturing-logger.js';
import { DateTime } from 'luxon';
import { ActiveDaySets } from '../../../lib/active-users/active-day-sets.js';
import { ActiveUsersIndex } from '../../../lib/active-users/active-users.index.js';
import { ActivityService } from '../../../lib/activity/activity.service.js';
import { RetentionPruner } from '../../../lib/activity/retention-pruner.js';
import { SouvenirsCalendar } from '../../../lib/calendar/souvenirs-calendar.js';
import { BeforeRetentionHorizonError } from '../../../lib/errors/before-retention-horizon.error.js';
import { StoreUnavailableError } from '../../../lib/errors/store-unavailable.error.js';
import { AnalyticsReports } from '../../../lib/reports/analytics.reports.js';
import { ReportsService } from '../../../lib/reports/reports.service.js';
import type { SouvenirsStore } from '../../../lib/store/souvenirs-store.interface.js';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import type { SouvenirsModuleOptions } from '../../../lib/souvenirs.options.js';
import { MemorySouvenirsStore } from '../../../lib/store/memory/memory-souvenirs.store.js';
import { RedisSouvenirsStore } from '../../../lib/store/redis/redis-souvenirs.store.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../support/databases.js';
import { randomKeyPrefix, deleteKeysWithPrefix } from '../../support/redis-test-keys.js';
import { Redis } from 'ioredis';
import { clearSouvenirs, REDIS_URL, resolvedOptions, TestClock } from './activity-test-kit.js';
import { modelCount } from '../active-users/active-index-kit.js';

const DAY = 86_400_000;
const TIME_ZONE = 'Europe/Paris';
/** Local midnight of day 0; rows on days 0 to 29, the clock on day 30 at noon. */
const ORIGIN = DateTime.fromISO('2026-03-01T00:00:00', { zone: TIME_ZONE });
const dayStart = (d: number) => ORIGIN.plus({ days: d }).toJSDate();
const USERS = Array.from({ length: 100 }, (_, i) => `u${i}`);
const KEPT_DAYS = 10;
/** Rows before day 20 go: 100 users × 20 days. */
const HORIZON = dayStart(20);
const PRUNED = 100 * 20;

interface Stack {
  index: ActiveUsersIndex;
  activity: ActivityService;
  reports: ReportsService;
  pruner: RetentionPruner;
}

function stack(dataSource: DataSource, store: SouvenirsStore, given: SouvenirsModuleOptions): Stack {
  const options = resolvedOptions({ timeZone: TIME_ZONE, ...given });
  const calendar = new SouvenirsCalendar(options);
  const repository = dataSource.getRepository(Souvenir);
  const index = new ActiveUsersIndex(repository, store, calendar, options);
  const activity = new ActivityService(repository, store, options, calendar, index);
  const reports = new ReportsService(repository, options, calendar, null, index, new AnalyticsReports(calendar, new ActiveDaySets(repository, index)));
  return { index, activity, reports, pruner: new RetentionPruner(activity, store, options) };
}

/** Nest's log lines, as the pruner writes them. */
class LineCollector implements LoggerService {
  readonly lines: string[] = [];
  log(message: unknown): void {
    this.lines.push(String(message));
  }
  error(): void {}
  warn(): void {}
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(DIALECTS)('prune and retention on %s', (dialect) => {
  let db: TestDatabase;
  let logged: DataSource;
  let logger: CapturingLogger;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    logger = new CapturingLogger();
    logged = await loggedDataSource(db, logger);
  });
  afterAll(async () => {
    if (logged?.isInitialized) await logged.destroy();
    await db?.drop();
  });

  describe.each(['memory', 'redis'] as const)('with the %s store', (kind) => {
    let stores: SouvenirsStore[];
    let prefix: string;
    let raw: Redis | undefined;
    let clock: TestClock;
    /** A second store of the same kind: another process (for Redis; the memory store is one process). */
    const newStore = (): SouvenirsStore => (kind === 'memory' ? stores[0] : new RedisSouvenirsStore({ redis: REDIS_URL, keyPrefix: prefix }));

    beforeEach(async () => {
      await clearSouvenirs(db);
      prefix = randomKeyPrefix('prune');
      stores = [kind === 'memory' ? new MemorySouvenirsStore() : new RedisSouvenirsStore({ redis: REDIS_URL, keyPrefix: prefix })];
      clock = new TestClock(new Date(dayStart(30).getTime() + DAY / 2));
      // Every user every day, and the index built over all of it (days, first activity), before any retention.
      const seeding = stack(db.dataSource, stores[0], { now: clock.now });
      await seeding.activity.backfill(USERS.flatMap((user, u) => Array.from({ length: 30 }, (_, d) => ({ user, when: new Date(dayStart(d).getTime() + (u + 1) * 60_000) }))));
      await seeding.activity.countActiveUsers({ start: dayStart(0), end: dayStart(30) });
      await seeding.reports.retention({ start: dayStart(0), end: dayStart(30), period: 'week' });
      logger.clear();
    });
    afterEach(async () => {
      for (const store of new Set(stores)) {
        if (store instanceof RedisSouvenirsStore) await store.close();
        else (store as MemorySouvenirsStore).onModuleDestroy();
      }
      if (kind === 'redis') {
        raw = new Redis(REDIS_URL);
        await deleteKeysWithPrefix(raw, prefix);
        await raw.quit();
      }
    });

    it('deletes in bounded batches: no DELETE binds more than 1000 ids, and the rows before the horizon take several', async () => {
      const { pruner } = stack(logged, stores[0], { now: clock.now, retention: { days: KEPT_DAYS } });
      expect(await pruner.pruneOnce()).toEqual({ rows: PRUNED });
      const deletes = logger.queries.flatMap((query, i) => (/^\s*DELETE/i.test(query) ? [logger.parameters[i]] : []));
      expect(deletes.length).toBeGreaterThanOrEqual(2);
      expect(Math.max(...deletes.map((parameters) => parameters.length))).toBeLessThanOrEqual(1000);
      expect(Math.max(...logger.queries.map((query) => query.length))).toBeLessThan(20_000);
      expect(await db.dataSource.getRepository(Souvenir).createQueryBuilder('s').where('s.when < :h', { h: HORIZON.getTime() }).getCount()).toBe(0);
      expect(await db.dataSource.getRepository(Souvenir).count()).toBe(100 * 10);
    });

    it('answers exactly from the horizon on, first activity included, and refuses anything reaching before it with a typed error', async () => {
      const { activity, reports, pruner } = stack(db.dataSource, stores[0], { now: clock.now, retention: { days: KEPT_DAYS } });
      expect(activity.retentionHorizon()).toEqual(HORIZON);
      await pruner.pruneOnce();
      for (const [start, end] of [
        [HORIZON, dayStart(30)],
        [new Date(HORIZON.getTime() + 5 * 3_600_000), new Date(dayStart(25).getTime() + 3_600_000)],
        [dayStart(22), dayStart(23)],
      ]) {
        expect(await activity.countActiveUsers({ start, end })).toBe(await modelCount(db, start, end));
      }
      expect(await activity.countActiveUsers()).toBe(USERS.length);
      // First activity means first activity kept: every user is new on the horizon's day, as a store built anew says.
      const fresh = new MemorySouvenirsStore();
      const scratch = stack(db.dataSource, fresh, { now: clock.now, retention: { days: KEPT_DAYS } });
      const window = { start: HORIZON, end: dayStart(30), period: 'day' as const };
      expect(await reports.retention(window)).toEqual(await scratch.reports.retention(window));
      expect(await reports.lifecycle({ ...window, start: dayStart(21) })).toEqual(await scratch.reports.lifecycle({ ...window, start: dayStart(21) }));
      expect((await reports.retention(window))[0].size).toBe(USERS.length);
      fresh.onModuleDestroy();

      const before = new Date(HORIZON.getTime() - 1);
      const refusals: Array<() => Promise<unknown>> = [
        () => activity.countActiveUsers({ start: before, end: dayStart(30) }),
        () => reports.usageForPeriods([[dayStart(5), dayStart(25)]]),
        () => reports.dailyUsage(dayStart(0)),
        () => reports.activeUsers({ start: HORIZON, end: dayStart(30) }), // its MAU looks 29 days back
        () => reports.retention({ start: dayStart(10), end: dayStart(30), period: 'week' }),
        () => activity.countActiveUsers({ start: before, end: dayStart(30), among: ['u1', 'u2'] }),
        () => reports.tenantsUsage({ start: before, end: dayStart(30) }),
        () => reports.activeTenants({ start: HORIZON, end: dayStart(30) }), // its MAU looks 29 days back
      ];
      for (const refused of refusals) {
        const error = await refused().then(() => null, (e: unknown) => e);
        expect(error).toBeInstanceOf(BeforeRetentionHorizonError);
        expect((error as BeforeRetentionHorizonError).horizon).toEqual(HORIZON);
        expect((error as Error).message).toContain(HORIZON.toISOString());
      }
    });

    it('takes the daily prune on one process of two, and keeps the lock so the other skips the day', async () => {
      stores.push(newStore());
      const one = stack(db.dataSource, stores[0], { now: clock.now, retention: { days: KEPT_DAYS } });
      const two = stack(db.dataSource, stores[1], { now: clock.now, retention: { days: KEPT_DAYS } });
      const results = await Promise.all([one.pruner.pruneOnce(), two.pruner.pruneOnce()]);
      expect(results.filter((result) => result !== null)).toEqual([{ rows: PRUNED }]);
      clock.advance(DAY);
      expect(await two.pruner.pruneOnce()).toBeNull();
      expect(await one.pruner.pruneOnce()).toBeNull();
    });

    it('a manual prune refuses counts before its `before` in its process, and lastSeen reads the rows kept', async () => {
      const { activity } = stack(db.dataSource, stores[0], { now: clock.now });
      expect(activity.retentionHorizon()).toBeNull();
      expect(await activity.prune({ before: dayStart(28) })).toEqual({ rows: 100 * 28 });
      await expect(activity.countActiveUsers({ start: dayStart(27), end: dayStart(29) })).rejects.toBeInstanceOf(BeforeRetentionHorizonError);
      expect(await activity.countActiveUsers({ start: dayStart(28), end: dayStart(30) })).toBe(USERS.length);
      expect(await activity.lastSeen('u3')).toEqual(new Date(dayStart(29).getTime() + 4 * 60_000));
    });

    it('a manual prune in one process is refused by every other sharing the store: read at boot, and before a count once the last read is old', async () => {
      stores.push(newStore(), newStore());
      const [one, two, three] = stores.map((store) => stack(db.dataSource, store, { now: clock.now }));
      // Booted before the prune: it read no horizon then.
      await two.index.onModuleInit();
      expect(await one.activity.prune({ before: dayStart(28) })).toEqual({ rows: 100 * 28 });
      // Its last read is older than the window (shortened here): the count reads the mark first.
      two.index.horizonRefreshMs = 0;
      const error = await two.activity.countActiveUsers({ start: dayStart(27), end: dayStart(29) }).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(BeforeRetentionHorizonError);
      expect((error as BeforeRetentionHorizonError).horizon).toEqual(dayStart(28));
      expect(two.activity.retentionHorizon()).toEqual(dayStart(28));
      // Booted after it (the CLI's case, the other way round): knows it from the start.
      await three.index.onModuleInit();
      await expect(three.reports.usageForPeriods([[dayStart(20), dayStart(30)]])).rejects.toBeInstanceOf(BeforeRetentionHorizonError);
      expect(await three.activity.countActiveUsers({ start: dayStart(28), end: dayStart(30) })).toBe(USERS.length);
      // The shared horizon only moves forward: an earlier prune leaves it.
      await two.activity.prune({ before: dayStart(25) });
      await three.activity.reindex();
      expect(three.activity.retentionHorizon()).toEqual(dayStart(28));
    });

    // The memory store cannot be down.
    if (kind === 'redis')
      it('with the store down, a process keeps the horizon it knew, and a prune deletes nothing', async () => {
        const own = new RedisSouvenirsStore({ redis: REDIS_URL, keyPrefix: prefix });
        const [one, two] = [stack(db.dataSource, stores[0], { now: clock.now }), stack(db.dataSource, own, { now: clock.now })];
        await one.activity.prune({ before: dayStart(28) });
        await two.index.onModuleInit();
        await own.close();
        two.index.horizonRefreshMs = 0;
        // Its read fails: it answers from what it knew, the rows from SQL.
        await expect(two.activity.countActiveUsers({ start: dayStart(27), end: dayStart(29) })).rejects.toBeInstanceOf(BeforeRetentionHorizonError);
        expect(await two.activity.countActiveUsers({ start: dayStart(28), end: dayStart(30) })).toBe(USERS.length);
        // It cannot tell the others: it deletes nothing.
        await expect(two.activity.prune({ before: dayStart(29) })).rejects.toBeInstanceOf(StoreUnavailableError);
        expect(await db.dataSource.getRepository(Souvenir).count()).toBe(100 * 2);
      });

    it('schedules the daily prune on every process, and one of two prunes, once, and logs its line', async () => {
      stores.push(newStore());
      const lines = new LineCollector();
      Logger.overrideLogger(lines);
      const pruners = stores.map((store) => stack(db.dataSource, store, { now: clock.now, retention: { days: KEPT_DAYS } }).pruner);
      const attempts = pruners.map((pruner) => jest.spyOn(pruner, 'pruneOnce'));
      try {
        for (const pruner of pruners) {
          pruner.firstAttemptMs = 5;
          pruner.attemptEveryMs = 10;
          pruner.onApplicationBootstrap();
        }
        // Wall time only: several attempts of each process (no timer: none at all).
        for (let waited = 0; attempts.some((attempt) => attempt.mock.calls.length < 5) && waited < 20_000; waited += 20) await sleep(20);
        for (const attempt of attempts) expect(attempt.mock.calls.length).toBeGreaterThanOrEqual(5);
        const pruned = lines.lines.filter((line) => line.startsWith('Pruned '));
        expect(pruned).toEqual([`Pruned ${PRUNED} row(s) of activity before ${HORIZON.toISOString()} (retention: ${KEPT_DAYS} days).`]);
        expect(await db.dataSource.getRepository(Souvenir).count()).toBe(100 * 10);
      } finally {
        for (const pruner of pruners) pruner.onApplicationShutdown();
        Logger.overrideLogger(new ConsoleLogger());
      }
      // Shut down: no attempt after.
      const calls = attempts.map((attempt) => attempt.mock.calls.length);
      await sleep(50);
      expect(attempts.map((attempt) => attempt.mock.calls.length)).toEqual(calls);
    });
  });
});
