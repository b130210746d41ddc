import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { createTestDatabase, type Dialect, type TestDatabase } from '../../support/databases.js';
import { clearSouvenirs, createTestStore, storedRows } from '../activity/activity-test-kit.js';
import { createIndexedServices } from './active-index-kit.js';
import type { SouvenirsStore } from '../../../lib/store/souvenirs-store.interface.js';

/** Zones with DST changes inside the window (US 10 Mar, EU 31 Mar, Lord Howe's half hour 7 Apr) and without. */
const ZONES = ['Europe/Paris', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC'];
const WINDOW_START = Date.UTC(2024, 2, 7);
const WINDOW_MS = 36 * 86_400_000;
const USERS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

const instant = fc.integer({ min: -2 * 86_400_000, max: WINDOW_MS + 2 * 86_400_000 }).map((ms) => new Date(WINDOW_START + ms));
const row = fc.record({ user: fc.constantFrom(...USERS), when: instant, via: fc.constantFrom('backfill', 'souvenez', 'unlimited') });
/** A range: two instants, or two local midnights (whole days), by day offsets in the zone. */
const range = fc.oneof(
  fc.tuple(instant, instant).map(([x, y]) => ({ kind: 'instants' as const, x, y })),
  fc.tuple(fc.integer({ min: -1, max: 37 }), fc.integer({ min: 0, max: 31 })).map(([from, days]) => ({ kind: 'days' as const, from, days })),
);

/**
 * The last column: whether the store unites days itself (`readActiveDayUnions`), as both
 * built-in stores do; without, ranges off midnight read their days back and unite them here.
 */
const CASES: [Dialect, 'memory' | 'redis', number, 'unions' | 'no unions'][] = [
  ['sqlite', 'memory', 25, 'unions'],
  ['postgres', 'redis', 12, 'unions'],
  ['mariadb', 'redis', 8, 'unions'],
  ['postgres', 'redis', 8, 'no unions'],
];

/** `store` without `readActiveDayUnions`, as a store that cannot unite days would be. */
function withoutUnions(store: SouvenirsStore): SouvenirsStore {
  return new Proxy(store, { get: (target, property) => (property === 'readActiveDayUnions' ? undefined : Reflect.get(target, property, target)) });
}

describe.each(CASES)('active-users index property on %s with the %s store (%s)', (dialect, kind, numRuns, unions) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('countActiveUsers and usageForPeriods equal the distinct users of the stored rows, for any rows and ranges', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ZONES),
        fc.array(row, { maxLength: 40 }),
        fc.array(range, { minLength: 1, maxLength: 6 }),
        async (timeZone, rows, specs) => {
          await clearSouvenirs(db);
          const { store, close } = await createTestStore(kind);
          try {
            const { activity, reports } = createIndexedServices(db, unions === 'unions' ? store : withoutUnions(store), { timeZone });
            const origin = DateTime.fromMillis(WINDOW_START, { zone: timeZone }).startOf('day');
            const ranges = specs.map((spec): [Date, Date] => {
              if (spec.kind === 'days') return [origin.plus({ days: spec.from }).toJSDate(), origin.plus({ days: spec.from + spec.days }).toJSDate()];
              return spec.x <= spec.y ? [spec.x, spec.y] : [spec.y, spec.x];
            });
            const check = async () => {
              const stored = await storedRows(db);
              const model = ([start, end]: [Date, Date]) =>
                new Set(stored.filter(({ when }) => new Date(when) >= start && new Date(when) < end).map(({ userId }) => userId)).size;
              for (const r of ranges) expect(await activity.countActiveUsers({ start: r[0], end: r[1] })).toBe(model(r));
              const usage = await reports.usageForPeriods(ranges);
              expect(usage.map((u) => u.usage.activeUsers)).toEqual(ranges.map(model));
              expect(await activity.countActiveUsers()).toBe(new Set(stored.map(({ userId }) => userId)).size);
            };
            // Half the rows, counts (which build the days), the other half through the write paths, counts again.
            for (const [part, slice] of [rows.slice(0, rows.length >> 1), rows.slice(rows.length >> 1)].entries()) {
              const backfilled = slice.filter(({ via }) => via === 'backfill');
              await activity.backfill(backfilled.map(({ user, when }) => ({ user, when })), { batchSize: 7 });
              for (const { user, when, via } of slice) {
                if (via !== 'backfill') await activity.souvenez(user, { when, ratelimit: via === 'souvenez' ? 3600 : false });
              }
              await check();
            }
          } finally {
            await close(); // a Redis store's keys are deleted
          }
        },
      ),
      { numRuns },
    );
  });
});
