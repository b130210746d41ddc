import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { In } from 'typeorm';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { MAX_SUBSET_USERS } from '../../../lib/activity/user-subset.js';
import { TestMember } from '../../support/test-member.entity.js';
import type { SouvenirsStore } from '../../../lib/store/souvenirs-store.interface.js';
import { createSubsetServices, subsetCases, subsetStore, useSubsetSuite } from './subset-kit.js';

const DAY = 86_400_000;
const BASE = Date.UTC(2024, 2, 7);
const WINDOW_MS = 40 * DAY;
const ZONES = ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata'];
/** Users 1–10 are rows of the users entity; x1 and x2 are active but no users of it; ghost is never active. */
const ENTITY_USERS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];
const ACTIVE_IDS = [...ENTITY_USERS, 'x1', 'x2'];
const SUBSET_IDS = [...ACTIVE_IDS, 'ghost'];

const instant = fc.integer({ min: -2 * DAY, max: WINDOW_MS + 2 * DAY }).map((ms) => new Date(BASE + ms));
const range = fc.oneof(
  fc.tuple(instant, instant).map(([x, y]) => ({ kind: 'instants' as const, x, y })),
  fc.tuple(fc.integer({ min: -1, max: 41 }), fc.integer({ min: 0, max: 35 })).map(([from, days]) => ({ kind: 'days' as const, from, days })),
);
/** An `among`: an iterable of refs (strings, numbers, objects, a Set) or a `{ where }` on the users entity. */
const among = fc.oneof(
  fc.subarray(SUBSET_IDS).map((ids) => ({ form: 'refs' as const, ids })),
  fc.constant({ form: 'active' as const }),
  fc.subarray(ENTITY_USERS).map((ids) => ({ form: 'active-or-ids' as const, ids })),
);
const scenario = fc.record({
  zone: fc.constantFrom(...ZONES),
  // Users active in no tenant, in t1 or t2, some in several.
  rows: fc.array(fc.record({ userId: fc.constantFrom(...ACTIVE_IDS), when: instant, tenant: fc.constantFrom(null, 't1', 't2') }), { maxLength: 50 }),
  activeUsers: fc.subarray(ENTITY_USERS),
  ranges: fc.array(range, { minLength: 1, maxLength: 4 }),
  subsets: fc.array(among, { minLength: 1, maxLength: 3 }),
});

/**
 * `store`, its subset reads (`readActiveDaysAmong`, of the site's index or a tenant's) counted
 * in `reads`: the properties must go through the store's own intersection, not only the
 * days read back, so a wrong answer of it fails them.
 */
function countingSubsetReads(store: SouvenirsStore, reads: { count: number }): SouvenirsStore {
  return new Proxy(store, {
    get: (target, property, receiver) => {
      const value: unknown = Reflect.get(target, property, target);
      if (property !== 'readActiveDaysAmong' || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        reads.count += 1;
        return (value as (...a: unknown[]) => unknown).apply(receiver, args);
      };
    },
  });
}

describe.each(subsetCases({ sqlite: 20, postgres: 10, mariadb: 8 }))('countActiveUsers({ among }) against a brute-force model on %s with the %s store', (dialect, kind, numRuns) => {
  const suite = useSubsetSuite(dialect, kind);

  it('every count of a subset (in a tenant or site-wide) equals the distinct users of the stored rows in it, in any range', async () => {
    const reads = { count: 0 };
    await fc.assert(
      fc.asyncProperty(scenario, async ({ zone, rows, activeUsers, ranges, subsets }) => {
        await suite.db.dataSource.getRepository(Souvenir).clear();
        await suite.db.dataSource.getRepository(TestMember).clear();
        await suite.db.dataSource.getRepository(TestMember).insert(
          ENTITY_USERS.map((id) => ({ id: Number(id), joinedAt: new Date(BASE), isActive: activeUsers.includes(id) })),
        );
        const { store, close } = subsetStore(kind, suite.client);
        try {
          const { activity } = createSubsetServices(suite.db, countingSubsetReads(store, reads), { timeZone: zone });
          // Through backfill: the index follows the writes, as in production.
          await activity.backfill(rows.map(({ userId, when, tenant }) => ({ user: userId, when, tenant })));
          const origin = DateTime.fromMillis(BASE, { zone }).startOf('day');
          const bounds = ranges.map(({ kind: k, ...spec }): [Date, Date] => {
            if (k === 'days') {
              const { from, days } = spec as { from: number; days: number };
              return [origin.plus({ days: from }).toJSDate(), origin.plus({ days: from + days }).toJSDate()];
            }
            const { x, y } = spec as { x: Date; y: Date };
            return x <= y ? [x, y] : [y, x];
          });
          for (const subset of subsets) {
            const members =
              subset.form === 'refs' ? subset.ids : subset.form === 'active' ? activeUsers : [...new Set([...activeUsers, ...subset.ids])];
            const given =
              subset.form === 'refs'
                ? // Refs as an app passes them: numbers, strings, objects, once or twice, in a Set.
                  new Set(subset.ids.flatMap((id, i) => [/^\d+$/.test(id) && i % 2 === 0 ? Number(id) : i % 3 === 0 ? { id } : id, id]))
                : subset.form === 'active'
                  ? { where: { isActive: true } }
                  : { where: [{ isActive: true }, { id: In(subset.ids.map(Number)) }] };
            const model = ([start, end]: [Date, Date], tenant?: string) =>
              new Set(
                rows
                  .filter(({ userId, when, tenant: t }) => members.includes(userId) && when >= start && when < end && (tenant === undefined || t === tenant))
                  .map(({ userId }) => userId),
              ).size;
            for (const [start, end] of bounds) {
              expect(await activity.countActiveUsers({ start, end, among: given })).toBe(model([start, end]));
              // Within a tenant too: the subset's users active in that tenant.
              expect(await activity.countActiveUsers({ start, end, among: given, tenant: 't1' })).toBe(model([start, end], 't1'));
            }
            expect(await activity.countActiveUsers({ among: given })).toBe(new Set(rows.filter(({ userId }) => members.includes(userId)).map(({ userId }) => userId)).size);
          }
        } finally {
          await close();
        }
      }),
      { numRuns },
    );
    expect(reads.count).toBeGreaterThan(0);
  }, 240_000);

  it('a subset of thousands of users, some never active, is counted exactly: the store reads their numbers a thousand at a time', async () => {
    const reads = { count: 0 };
    // 3,000 users who may be active and 1,000 never active, their ids interleaved once sorted ('u3001' between 'u300' and 'u301').
    const ids = Array.from({ length: 4_000 }, (_, i) => `u${i}`);
    const large = fc.record({
      rows: fc.array(fc.record({ user: fc.nat(2_999), when: instant }), { minLength: 200, maxLength: 400 }),
      // Every user but one in `skip`, so the subset (2,500 to 3,500 users) spans several reads of a thousand.
      skip: fc.integer({ min: 2, max: 7 }),
      ranges: fc.array(range, { minLength: 1, maxLength: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(large, async ({ rows, skip, ranges }) => {
        await suite.db.dataSource.getRepository(Souvenir).clear();
        const { store, close } = subsetStore(kind, suite.client);
        try {
          const { activity } = createSubsetServices(suite.db, countingSubsetReads(store, reads), { timeZone: 'Europe/Paris' });
          await activity.backfill(rows.map(({ user, when }) => ({ user: ids[user], when })));
          const among = ids.filter((_, i) => i % skip !== 0);
          const origin = DateTime.fromMillis(BASE, { zone: 'Europe/Paris' }).startOf('day');
          for (const spec of ranges) {
            const [start, end] =
              spec.kind === 'days'
                ? [origin.plus({ days: spec.from }).toJSDate(), origin.plus({ days: spec.from + spec.days }).toJSDate()]
                : spec.x <= spec.y
                  ? [spec.x, spec.y]
                  : [spec.y, spec.x];
            const model = new Set(rows.filter(({ user, when }) => user % skip !== 0 && when >= start && when < end).map(({ user }) => user)).size;
            expect(await activity.countActiveUsers({ start, end, among })).toBe(model);
          }
        } finally {
          await close();
        }
      }),
      { numRuns: Math.max(2, Math.ceil(numRuns / 4)) },
    );
    expect(reads.count).toBeGreaterThan(0);
  }, 240_000);

  it(`a subset of MAX_SUBSET_USERS (${MAX_SUBSET_USERS}) users, thousands of them active, is counted exactly (Redis answers it in several scripts of one call)`, async () => {
    await suite.db.dataSource.getRepository(Souvenir).clear();
    const { store, close } = subsetStore(kind, suite.client);
    const reads = { count: 0 };
    try {
      const { activity } = createSubsetServices(suite.db, countingSubsetReads(store, reads), { timeZone: 'Europe/Paris' });
      const ids = Array.from({ length: MAX_SUBSET_USERS }, (_, i) => `m${i}`);
      // 4,000 rows of users spread over the whole subset (and 200 of users outside it), over 12 days.
      const rows = Array.from({ length: 4_200 }, (_, r) => ({ user: r < 4_000 ? ids[(r * 7_919) % MAX_SUBSET_USERS] : `outside${r}`, when: new Date(BASE + (r % 12) * DAY + r * 1_000) }));
      await activity.backfill(rows);
      const origin = DateTime.fromMillis(BASE, { zone: 'Europe/Paris' }).startOf('day');
      const inside = new Set(ids);
      for (const [start, end] of [
        [origin.toJSDate(), origin.plus({ days: 12 }).toJSDate()],
        [origin.plus({ days: 2 }).toJSDate(), origin.plus({ days: 5 }).toJSDate()],
        [new Date(BASE + 3 * DAY + 5 * 3_600_000), new Date(BASE + 9 * DAY + 1_234)],
      ]) {
        const model = new Set(rows.filter(({ user, when }) => inside.has(user) && when >= start && when < end).map(({ user }) => user)).size;
        expect(model).toBeGreaterThan(500);
        expect(await activity.countActiveUsers({ start, end, among: ids })).toBe(model);
      }
      expect(reads.count).toBeGreaterThan(0);
    } finally {
      await close();
    }
  }, 120_000);
});
