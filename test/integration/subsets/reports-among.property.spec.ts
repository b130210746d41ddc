import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { modelActiveUsers, modelLifecycle, modelRetention, modelStickiness } from '../../support/analytics-model.js';
import { TestMember } from '../../support/test-member.entity.js';
import { createSubsetServices, subsetCases, subsetStore, useSubsetSuite } from './subset-kit.js';

const DAY = 86_400_000;
const BASE = Date.UTC(2024, 1, 20);
const ZONES = ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata'];
/** Members 1–8 are rows of the users entity; x1 is active but none of them; ghost is never active. */
const MEMBERS = [1, 2, 3, 4, 5, 6, 7, 8];
const ACTIVE_IDS = [...MEMBERS.map(String), 'x1'];

const scenario = fc.record({
  zone: fc.constantFrom(...ZONES),
  weekStart: fc.integer({ min: 1, max: 7 }),
  rows: fc.array(fc.record({ userId: fc.constantFrom(...ACTIVE_IDS), when: fc.integer({ min: 0, max: 70 * DAY }).map((ms) => new Date(BASE + ms)) }), { maxLength: 50 }),
  members: fc.array(fc.record({ joinedMs: fc.integer({ min: -10 * DAY, max: 70 * DAY }), isActive: fc.boolean(), plan: fc.constantFrom('free', 'pro') }), {
    minLength: MEMBERS.length,
    maxLength: MEMBERS.length,
  }),
  subset: fc.oneof(fc.subarray([...ACTIVE_IDS, 'ghost']).map((ids) => ({ ids })), fc.constant({ plan: 'pro' as const })),
  startMs: fc.integer({ min: -5 * DAY, max: 70 * DAY }),
  lengthMs: fc.integer({ min: 0, max: 60 * DAY }),
  kind: fc.constantFrom('day' as const, 'week' as const, 'month' as const),
  mode: fc.constantFrom('classic' as const, 'unbounded' as const),
});

describe.each(subsetCases({ sqlite: 15, postgres: 6, mariadb: 5 }))('every report with { among } against a brute-force model on %s with the %s store', (dialect, kind, numRuns) => {
  const suite = useSubsetSuite(dialect, kind);

  it('usage reports, registeredUsersAsOf and the analytics count active, registered and activated users within the subset', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ zone, weekStart, rows, members, subset, startMs, lengthMs, kind: period, mode }) => {
        await suite.db.dataSource.getRepository(Souvenir).clear();
        await suite.db.dataSource.getRepository(TestMember).clear();
        const entity = MEMBERS.map((id, i) => ({ id, joinedAt: new Date(BASE + members[i].joinedMs), isActive: members[i].isActive, plan: members[i].plan }));
        await suite.db.dataSource.getRepository(TestMember).insert(entity);
        const ids = 'ids' in subset ? subset.ids : entity.filter((m) => m.plan === 'pro').map((m) => String(m.id));
        const among = 'ids' in subset ? subset.ids : { where: { plan: 'pro' } };
        const { store, close } = subsetStore(kind, suite.client);
        try {
          const { activity, reports } = createSubsetServices(suite.db, store, { timeZone: zone, weekStart });
          await activity.backfill(rows.map(({ userId, when }) => ({ user: userId, when })));
          const inSubset = rows.filter(({ userId }) => ids.includes(userId));
          const subsetMembers = entity.filter((m) => ids.includes(String(m.id)));
          const usage = ([start, end]: readonly [Date, Date]) => ({
            registeredUsers: subsetMembers.filter((m) => m.joinedAt < end).length,
            activatedUsers: subsetMembers.filter((m) => m.joinedAt < end && m.isActive).length,
            activeUsers: new Set(inSubset.filter(({ when }) => when >= start && when < end).map(({ userId }) => userId)).size,
          });
          const start = new Date(BASE + startMs);
          const end = new Date(BASE + startMs + lengthMs);

          // Usage reports: the site-wide report's periods, each counted within the subset.
          const periods: [Date, Date][] = [[start, end], [new Date(BASE), new Date(BASE + 70 * DAY)], [new Date(BASE + 3 * DAY + 3_600_000), new Date(BASE + 9 * DAY)]];
          expect((await reports.usageForPeriods(periods, { among })).map((row) => row.usage)).toEqual(periods.map(usage));
          for (const report of [
            (a?: typeof among) => reports.calendarMonthlyUsage({ start, end, among: a }),
            (a?: typeof among) => reports.customerMonthlyUsage(new Date(BASE - 6 * DAY + 7_200_000), { end, among: a }),
            (a?: typeof among) => reports.dailyUsage(new Date(BASE + 3_600_000), { start, end: new Date(start.getTime() + 10 * DAY), among: a }),
          ]) {
            const siteWide = await report();
            const within = await report(among);
            expect(within.map((row) => [row.period, row.labels])).toEqual(siteWide.map((row) => [row.period, row.labels]));
            expect(within.map((row) => row.usage)).toEqual(within.map((row) => usage([row.period.start, row.period.end])));
          }
          const { registeredUsers, activatedUsers } = usage([start, end]);
          expect(await reports.registeredUsersAsOf(end, { among })).toEqual({ registered: registeredUsers, activated: activatedUsers });

          // Analytics: the model over the subset's rows only (first activity ever included).
          expect(await reports.activeUsers({ start, end, among })).toEqual(modelActiveUsers(inSubset, start, end, zone));
          expect(await reports.retention({ start, end, period, mode, among })).toEqual(modelRetention(inSubset, start, end, period, mode, zone, weekStart));
          expect(await reports.lifecycle({ start, end, period, among })).toEqual(modelLifecycle(inSubset, start, end, period, zone, weekStart));
          const sticky = period === 'month' ? 'month' : 'week';
          expect(await reports.stickiness({ start, end, period: sticky, among })).toEqual(modelStickiness(inSubset, start, end, sticky, zone, weekStart));
        } finally {
          await close();
        }
      }),
      { numRuns },
    );
  }, 300_000);
});
