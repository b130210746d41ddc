import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { ActivityService } from '../../lib/activity/activity.service.js';
import { Souvenir } from '../../lib/table/souvenir.entity.js';
import { SouvenirsError } from '../../lib/errors/souvenirs.error.js';
import { HierarchicalAxis } from '../../lib/metricas/axes/hierarchical-axis.js';
import type { Metrica } from '../../lib/metricas/metrica.js';
import { MetricaRegistry } from '../../lib/metricas/metrica.registry.js';
import { StoredChoiceAxis } from '../../lib/metricas/axes/stored-choice-axis.js';
import { Axis } from '../../lib/metricas/axes/axis.js';
import { ReportsService } from '../../lib/reports/reports.service.js';
import { validateSouvenirsOptions } from '../../lib/souvenirs-options.validation.js';
import { SouvenirsModule } from '../../lib/souvenirs.module.js';
import type { MemorySouvenirsStore } from '../../lib/store/memory/memory-souvenirs.store.js';
import { getSouvenirsStoreToken } from '../../lib/store/souvenirs-store.decorators.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { deleteKeysWithPrefix, randomKeyPrefix } from '../support/redis-test-keys.js';

const REDIS_URL = 'redis://127.0.0.1:6379';

// Hostile input over the public API, 10,000 cases in all: whatever a caller passes, only SouvenirsError
// subclasses may escape, nothing crashes, a rejected call writes nothing, and distinct
// axis values never share a counter. Memory store and SQLite, for speed.

/** Dates of every kind: the ends of the JS range, invalid ones, and things that are not Dates. */
const hostileDate: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(new Date(8.64e15), new Date(-8.64e15), new Date(NaN), new Date(0), new Date('1000-01-01T00:00:00Z'), new Date('9999-12-31T23:59:59.999Z')),
  fc.integer({ min: -8.64e15, max: 8.64e15 }).map((ms) => new Date(ms)),
  // Valid dates near now: reports over them stay small, so the suite runs many cases.
  fc.date({ min: new Date('2025-06-01'), max: new Date('2027-06-01') }),
  fc.anything(),
);

/** Axis values of any kind, paths of any kind included. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything(),
  fc.string({ unit: 'binary' }),
  fc.array(fc.oneof(fc.string({ unit: 'binary' }), fc.double(), fc.anything()), { maxLength: 4 }),
  fc.constantFrom(NaN, Infinity, -0, Symbol('s'), () => 1, 10n, new Date(NaN), Object.create(null)),
);

const hostileRange = fc.oneof(fc.record({ start: hostileDate, end: hostileDate }, { requiredKeys: [] }), fc.anything());

/** The axes and options of a hostile kick. */
const hostileKick = fc.tuple(
  fc.oneof(
    fc.record({ plan: hostileValue, page: hostileValue, path: hostileValue }, { requiredKeys: [] }),
    fc.dictionary(fc.string(), hostileValue, { maxKeys: 3 }),
    fc.anything(),
  ),
  fc.oneof(fc.record({ date: hostileDate, value: fc.oneof(fc.double(), fc.anything()) }, { requiredKeys: [] }), fc.anything()),
);

/** The metricas every module here defines. */
const METRICAS = [
  {
    name: 'visits',
    axes: { plan: new Axis({ choices: ['free', 'pro'] }), page: new StoredChoiceAxis(), path: new HierarchicalAxis() },
    averaged: true,
  },
];

/**
 * Hostile kicks on `metrica`: only SouvenirsError escapes, and a refused kick changes
 * neither the store's `footprint` (its keys) nor the metrica's total.
 */
async function checkHostileKicks(metrica: Metrica, footprint: () => Promise<number>, numRuns: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(hostileKick, async ([given, kickOptions]) => {
      const before = [await footprint(), await metrica.total()];
      if ((await outcome(() => metrica.kick(given as never, kickOptions as never))) === 'refused') {
        expect([await footprint(), await metrica.total()]).toEqual(before);
      }
    }),
    { numRuns },
  );
}

/** Runs `call`; resolves to `'ok'` or `'refused'`, and fails on anything but a SouvenirsError. */
async function outcome(call: () => unknown): Promise<'ok' | 'refused'> {
  try {
    await call();
    return 'ok';
  } catch (error) {
    if (!(error instanceof SouvenirsError)) throw error;
    return 'refused';
  }
}

describe('hostile input over the public API (memory store, SQLite)', () => {
  let database: TestDatabase;
  let moduleRef: TestingModule;
  let activity: ActivityService;
  let reports: ReportsService;
  let registry: MetricaRegistry;
  let store: MemorySouvenirsStore;
  let visits: Metrica;
  let metricaNumber = 0;

  const rowCount = () => database.dataSource.getRepository(Souvenir).count();

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({ ...database.options } as never),
        SouvenirsModule.forRoot({
          track: false,
          metricas: METRICAS,
        }),
      ],
    }).compile();
    await moduleRef.init();
    activity = moduleRef.get(ActivityService);
    reports = moduleRef.get(ReportsService);
    registry = moduleRef.get(MetricaRegistry);
    store = moduleRef.get(getSouvenirsStoreToken());
    visits = registry.get('visits');
  });

  afterAll(async () => {
    await moduleRef?.close();
    await database?.drop();
  });

  it('kicks: only SouvenirsError escapes, and a refused kick writes nothing', async () => {
    await checkHostileKicks(visits, async () => store.keyCount, 3_400);
  });

  it('queries: timespans, filters, axes and series of any kind', async () => {
    const query = fc.oneof(
      fc.tuple(fc.anything(), fc.anything()).map(([timespan, filter]) => () => visits.timespan(timespan as never).filter(filter as never).total()),
      fc.tuple(fc.anything(), fc.anything()).map(([filter, axis]) => () => visits.filter(filter as never).iterate(axis as never)),
      fc.tuple(hostileDate, hostileDate, fc.anything()).map(([since, until, scale]) => () => visits.values().timeserie(since as Date, until as Date, scale as never)),
      fc.tuple(hostileDate, hostileDate).map(([since, until]) => () => visits.values().timeserieCountsAndAverages(since as Date, until as Date)),
      fc.anything().map((axis) => () => visits.choices(axis as never)),
      fc.anything().map((name) => () => registry.get(name as never)),
    );
    await fc.assert(
      fc.asyncProperty(query, async (call) => {
        await outcome(call);
      }),
      { numRuns: 1_500 },
    );
  });

  it('activity and reports: users, dates and ranges of any kind; a refused souvenez writes nothing', async () => {
    const call = fc.oneof(
      fc.tuple(fc.oneof(fc.anything(), fc.string()), fc.oneof(fc.record({ when: hostileDate, ratelimit: fc.anything(), checkDuplicate: fc.anything() }, { requiredKeys: [] }), fc.anything()))
        .map(([user, options]) => ({ writes: true, run: () => activity.souvenez(user as never, options as never) })),
      hostileRange.map((range) => ({ writes: false, run: () => activity.countActiveUsers(range as never) })),
      hostileRange.map((range) => ({ writes: false, run: () => reports.calendarMonthlyUsage(range as never) })),
      fc.tuple(hostileDate, hostileRange).map(([start, range]) => ({ writes: false, run: () => reports.customerMonthlyUsage(start as Date, range as never) })),
      fc.tuple(hostileDate, hostileRange).map(([start, range]) => ({ writes: false, run: () => reports.dailyUsage(start as Date, range as never) })),
      fc.tuple(hostileDate, hostileRange).map(([start, range]) => ({ writes: false, run: () => reports.customerYearlyUsage(start as Date, range as never) })),
      fc.oneof(fc.anything(), fc.array(fc.tuple(hostileDate, hostileDate), { maxLength: 3 })).map((periods) => ({ writes: false, run: () => reports.usageForPeriods(periods as never) })),
    );
    await fc.assert(
      fc.asyncProperty(call, async ({ writes, run }) => {
        const before = writes ? await rowCount() : 0;
        if ((await outcome(run)) === 'refused' && writes) expect(await rowCount()).toBe(before);
      }),
      { numRuns: 1_000 },
    );
  });

  it('module options of any kind are accepted or refused with a SouvenirsError', () => {
    const options = fc.oneof(
      fc.anything(),
      fc.record(
        {
          redis: fc.anything(),
          keyPrefix: fc.anything(),
          rateLimitSeconds: fc.oneof(fc.double(), fc.anything()),
          timeZone: fc.oneof(fc.constantFrom('UTC', 'Europe/Paris', 'Mars/Olympus'), fc.anything()),
          now: fc.anything(),
          metricas: fc.anything(),
          kickBuffer: fc.anything(),
          track: fc.anything(),
          dashboard: fc.anything(),
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(options, (given) => {
        try {
          validateSouvenirsOptions(given as never);
        } catch (error) {
          if (!(error instanceof SouvenirsError)) throw error;
        }
      }),
      { numRuns: 3_500 },
    );
  });

  it('distinct stored-choice values and paths never share a counter', async () => {
    const text = fc.string({ unit: 'binary', maxLength: 12 });
    const segment = fc.oneof(text, fc.integer({ min: -1000, max: 1000 }));
    const kicks = fc.tuple(
      fc.uniqueArray(text, { minLength: 1, maxLength: 6 }),
      fc.uniqueArray(fc.array(segment, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6, selector: (path) => JSON.stringify(path) }),
    );
    await fc.assert(
      fc.asyncProperty(kicks, async ([pages, paths]) => {
        metricaNumber += 1;
        const metrica = registry.define({ name: `hostile-${metricaNumber}`, axes: { page: new StoredChoiceAxis(), path: new HierarchicalAxis() } });
        // Value i is kicked i + 1 times, so totals tell every value apart.
        const countedPages = new Map<string, number>();
        for (const [i, page] of pages.entries()) {
          if ((await outcome(() => metrica.kick({ page }, { value: i + 1 }))) === 'ok') countedPages.set(page, i + 1);
        }
        const countedPaths: [readonly (string | number)[], number][] = [];
        for (const [i, path] of paths.entries()) {
          if ((await outcome(() => metrica.kick({ path }, { value: 100 * (i + 1) }))) === 'ok') countedPaths.push([path, 100 * (i + 1)]);
        }
        for (const [page, total] of countedPages) expect(await metrica.filter({ page }).total()).toBe(total);
        for (const [path] of countedPaths) {
          const below = countedPaths.filter(([other]) => path.every((part, k) => Object.is(other[k], part)));
          expect(await metrica.filter({ path }).total()).toBe(below.reduce((sum, [, total]) => sum + total, 0));
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('hostile kicks on Redis (a few cases)', () => {
  const prefix = randomKeyPrefix();
  const redis = new Redis(REDIS_URL);
  let database: TestDatabase;
  let moduleRef: TestingModule;

  /** Keys under this file's prefix. */
  const keyCount = async () => {
    let count = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      count += keys.length;
    } while (cursor !== '0');
    return count;
  };

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({ ...database.options } as never),
        SouvenirsModule.forRoot({ redis: REDIS_URL, keyPrefix: prefix, track: false, metricas: METRICAS }),
      ],
    }).compile();
    await moduleRef.init();
  });

  afterAll(async () => {
    await moduleRef?.close();
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
    await database?.drop();
  });

  it('only SouvenirsError escapes, and a refused kick writes nothing', async () => {
    await checkHostileKicks(moduleRef.get(MetricaRegistry).get('visits'), keyCount, 100);
  });
});
