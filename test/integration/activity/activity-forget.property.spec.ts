import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createTestDatabase, type Dialect, type TestDatabase } from '../../support/databases.js';
import { clearSouvenirs, createTestStore, type StoreKind } from './activity-test-kit.js';
import { createIndexedServices } from '../active-users/active-index-kit.js';

const ORIGIN = Date.UTC(2025, 9, 20);
const SPAN = 12 * 86_400_000;
const USERS = ['a', 'b', 'c', 'd', 'e'];
const ZONES = ['Europe/Paris', 'America/New_York', 'UTC'];

const instant = fc.integer({ min: 0, max: SPAN }).map((ms) => new Date(ORIGIN + ms));
/** A step: rows written (through any path), or a user forgotten. */
const step = fc.oneof(
  fc.record({ kind: fc.constant('write' as const), user: fc.constantFrom(...USERS), when: instant, via: fc.constantFrom('backfill', 'souvenez', 'unlimited') }),
  fc.record({ kind: fc.constant('forget' as const), user: fc.constantFrom(...USERS) }),
  fc.record({ kind: fc.constant('count' as const) }),
);
const range = fc.tuple(instant, instant).map(([x, y]) => (x <= y ? [x, y] : [y, x]) as [Date, Date]);

const CASES: [Dialect, StoreKind, number][] = [
  ['sqlite', 'memory', 40],
  ['postgres', 'redis', 10],
  ['mariadb', 'redis', 6],
];

describe.each(CASES)('forget property on %s with the %s store', (dialect, kind, numRuns) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('counts equal a model that never saw the forgotten users, whatever rows and forgets come between', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ZONES), fc.array(step, { maxLength: 30 }), fc.array(range, { minLength: 1, maxLength: 4 }), async (timeZone, steps, ranges) => {
        await clearSouvenirs(db);
        const { store, close } = await createTestStore(kind);
        try {
          const { activity } = createIndexedServices(db, store, { timeZone, rateLimitSeconds: 3600 });
          // The model: rows of users since they were last forgotten (what a store that never saw the rest holds).
          let model: { user: string; when: Date }[] = [];
          const check = async () => {
            for (const [start, end] of ranges) {
              const expected = new Set(model.filter(({ when }) => when >= start && when < end).map(({ user }) => user)).size;
              expect(await activity.countActiveUsers({ start, end })).toBe(expected);
            }
            expect(await activity.countActiveUsers()).toBe(new Set(model.map(({ user }) => user)).size);
          };
          for (const s of steps) {
            if (s.kind === 'count') await check();
            else if (s.kind === 'forget') {
              const gone = model.filter(({ user }) => user === s.user).length;
              expect(await activity.forget(s.user)).toEqual({ rows: gone });
              model = model.filter(({ user }) => user !== s.user);
            } else if (s.via === 'backfill') {
              await activity.backfill([{ user: s.user, when: s.when }]);
              model.push({ user: s.user, when: s.when });
            } else {
              const result = await activity.souvenez(s.user, { when: s.when, ratelimit: s.via === 'souvenez' ? 3600 : false });
              if (result === 'added') model.push({ user: s.user, when: s.when });
            }
          }
          await check();
        } finally {
          await close();
        }
      }),
      { numRuns },
    );
  }, 300_000);
});
