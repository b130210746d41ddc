import { describe, expect, it } from '@jest/globals';
import type { SouvenirsStore } from '../../../lib/store/souvenirs-store.interface.js';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { modelTenantsUsage } from '../../support/analytics-model.js';
import { DIALECTS, type TestDatabase } from '../../support/databases.js';
import { HOUR } from '../activity/activity-test-kit.js';
import { insertBehindTheBack, modelCount, type IndexedServices, useIndexedStore, useIndexSuite, waitUntilStoreAnswers } from './active-index-kit.js';

const ZONE = 'Europe/Paris';
/** Paris midnights around the spring-forward day (31 March 2024 has 23 hours). */
const MIDNIGHT = {
  mar29: new Date('2024-03-28T23:00:00Z'),
  mar31: new Date('2024-03-30T23:00:00Z'),
  apr1: new Date('2024-03-31T22:00:00Z'),
  apr2: new Date('2024-04-01T22:00:00Z'),
  apr3: new Date('2024-04-02T22:00:00Z'),
};

/** 240 rows of 30 users over a week around the DST change, deterministic. */
function weekOfRows(): { user: string; when: Date }[] {
  let seed = 7;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
  const start = Date.UTC(2024, 2, 27, 20);
  return Array.from({ length: 240 }, () => ({ user: `u${next() % 30}`, when: new Date(start + (next() % (7 * 24 * 60)) * 60_000) }));
}

const RANGES: [string, Date, Date][] = [
  ['whole days across the DST change', MIDNIGHT.mar29, MIDNIGHT.apr3],
  ['one 23-hour day', MIDNIGHT.mar31, MIDNIGHT.apr1],
  ['not on midnights', new Date('2024-03-29T13:17:00Z'), new Date('2024-04-01T05:00:00Z')],
  ['inside one day', new Date('2024-03-30T02:00:00Z'), new Date('2024-03-30T19:30:00Z')],
  ['empty', MIDNIGHT.apr1, MIDNIGHT.apr1],
];

async function expectExact(db: TestDatabase, services: IndexedServices): Promise<void> {
  for (const [, start, end] of RANGES) {
    const expected = await modelCount(db, start, end);
    await expect(services.activity.countActiveUsers({ start, end })).resolves.toBe(expected);
  }
  const periods = RANGES.map(([, start, end]) => [start, end] as const);
  const usage = await services.reports.usageForPeriods(periods);
  const models = await Promise.all(periods.map(([start, end]) => modelCount(db, start, end)));
  expect(usage.map((row) => row.usage.activeUsers)).toEqual(models);
  await expect(services.activity.countActiveUsers()).resolves.toBe(await modelCount(db, new Date(0), new Date(8e15)));
}

/** Whether the store holds `days` complete: the index, not SQL, answers for them. */
async function complete(store: SouvenirsStore, services: IndexedServices, start: Date, end: Date): Promise<boolean> {
  const days: string[] = [];
  for (let t = start.getTime(); t < end.getTime(); t += 24 * HOUR) days.push(services.index.dayOf(new Date(t + 2 * HOUR)).id);
  const [answer] = await store.countActiveUsers!([{ days, users: [] }]);
  return 'count' in answer;
}

describe.each(DIALECTS)('active-users index on %s', (dialect) => {
  const suite = useIndexSuite(dialect);

  describe.each(['memory', 'redis'] as const)('with the %s store', (kind) => {
    const made = useIndexedStore(suite, kind, ZONE);

    it('counts exactly: whole local days from the index, edge hours from SQL, merged as sets', async () => {
      const rows = weekOfRows();
      for (const { user, when } of rows.slice(0, 60)) await made.services.activity.souvenez(user, { when });
      await made.services.activity.backfill(rows.slice(60), { batchSize: 50 });
      await expectExact(suite.db, made.services);
      expect(await complete(made.store, made.services, MIDNIGHT.mar29, MIDNIGHT.apr3)).toBe(true);
    });

    it('counts souvenez and backfill rows written after the days were built, old `when` included', async () => {
      const rows = weekOfRows();
      await made.services.activity.backfill(rows.slice(0, 100));
      await expectExact(suite.db, made.services); // builds every day
      for (const { user, when } of rows.slice(100, 140)) await made.services.activity.souvenez(`late-${user}`, { when });
      await made.services.activity.backfill(rows.slice(140).map(({ user, when }) => ({ user: `past-${user}`, when })), { batchSize: 30 });
      await expectExact(suite.db, made.services);
    });

    it('counts a series of overlapping ranges (a DAU/WAU/MAU chart) from its days read once: every count exact, edge hours included', async () => {
      await made.services.activity.backfill(weekOfRows());
      // For 5 local days: the day, the 3 days ending with it, and those 3 days cut 5 hours in and 2 hours short.
      const periods = Array.from({ length: 5 }, (_, i) => new Date(MIDNIGHT.mar29.getTime() + (i * 24 + 60) * HOUR)).flatMap((noon): [Date, Date][] => {
        const [start, end] = made.services.index.wholeDays(noon, new Date(noon.getTime() + 1));
        const [threeDaysStart] = made.services.index.wholeDays(new Date(noon.getTime() - 48 * HOUR), end);
        return [[start, end], [threeDaysStart, end], [new Date(threeDaysStart.getTime() + 5 * HOUR), new Date(end.getTime() - 2 * HOUR)]];
      });
      const models = await Promise.all(periods.map(([start, end]) => modelCount(suite.db, start, end)));
      // First use: every day is built from SQL, then read again.
      for (let run = 0; run < 2; run++) {
        const usage = await made.services.reports.usageForPeriods(periods);
        expect(usage.map((row) => row.usage.activeUsers)).toEqual(models);
      }
    });

    it('leaves the days a backfill wrote complete when they held no row before it: the first count after the load builds nothing', async () => {
      // A day holding a row before the backfill (unseen by the index) is left to be built on first use.
      await insertBehindTheBack(suite.db, [{ userId: 'before', when: new Date('2024-04-01T12:00:00Z') }]);
      await made.services.activity.backfill(weekOfRows(), { batchSize: 40 });
      expect(await complete(made.store, made.services, MIDNIGHT.mar29, MIDNIGHT.apr1)).toBe(true);
      expect(await complete(made.store, made.services, MIDNIGHT.apr1, MIDNIGHT.apr3)).toBe(false);
      await expectExact(suite.db, made.services);
    });

    it("leaves the pairs index's days a backfill wrote complete when they held no tenant row before it: the first billing run builds nothing", async () => {
      // Apr 1 holds a row of no tenant before the load (the site's day is then built, the pairs' not); Apr 2 one of a tenant.
      await insertBehindTheBack(suite.db, [
        { userId: 'before', when: new Date('2024-04-01T12:00:00Z') },
        { userId: 'before-t', when: new Date('2024-04-02T12:00:00Z'), tenant: 'org-9' },
      ]);
      await made.services.activity.backfill(weekOfRows().map(({ user, when }) => ({ user, when, tenant: `org-${Number(user.slice(1)) % 3}` })), { batchSize: 40 });
      const pairsComplete = async (start: Date, end: Date) => {
        const days: string[] = [];
        for (let t = start.getTime(); t < end.getTime(); t += 24 * HOUR) days.push(made.services.index.dayOf(new Date(t + 2 * HOUR)).id);
        return 'tenants' in (await made.store.activeDaysIn!('pairs').countActiveUsersPerTenant!({ days, users: [] }));
      };
      expect(await pairsComplete(MIDNIGHT.mar29, MIDNIGHT.apr2)).toBe(true);
      expect(await pairsComplete(MIDNIGHT.apr2, MIDNIGHT.apr3)).toBe(false);
      expect(await complete(made.store, made.services, MIDNIGHT.apr1, MIDNIGHT.apr2)).toBe(false);
      const stored = await suite.db.dataSource.getRepository(Souvenir).find();
      expect(await made.services.reports.tenantsUsage({ start: MIDNIGHT.mar29, end: MIDNIGHT.apr3 })).toEqual(modelTenantsUsage(stored, MIDNIGHT.mar29, MIDNIGHT.apr3));
    });

    it('counts the ends of a range off midnight from the day logs once built, not from SQL (rows written by plain SQL are unseen)', async () => {
      await made.services.activity.backfill(weekOfRows());
      const [start, end] = [new Date('2024-03-29T13:17:00Z'), new Date('2024-04-01T05:00:00Z')];
      const before = await made.services.activity.countActiveUsers({ start, end });
      expect(before).toBe(await modelCount(suite.db, start, end));
      // Inside the range's first and last (partial) days: SQL would see them, the logs do not.
      await insertBehindTheBack(suite.db, [
        { userId: 'sql-only-1', when: new Date('2024-03-29T20:00:00Z') },
        { userId: 'sql-only-2', when: new Date('2024-04-01T01:00:00Z') },
      ]);
      await expect(made.services.activity.countActiveUsers({ start, end })).resolves.toBe(before);
      // Written through the module, to the ms at the range's ends: the logs hold them.
      await made.services.activity.souvenez('at-start', { when: start });
      await made.services.activity.souvenez('before-end', { when: new Date(end.getTime() - 1) });
      await made.services.activity.backfill([{ user: 'at-end', when: end }, { user: 'late', when: new Date(start.getTime() + 1) }]);
      await expect(made.services.activity.countActiveUsers({ start, end })).resolves.toBe(before + 3);
    });

    it('counts daily periods from 22:00 (each within two partial days) exactly from the logs, rows on their bounds included', async () => {
      // 22:00 in Paris each day around the DST change (UTC+1, then UTC+2 from 31 March).
      const starts = ['2024-03-28T21:00:00Z', '2024-03-29T21:00:00Z', '2024-03-30T21:00:00Z', '2024-03-31T20:00:00Z', '2024-04-01T20:00:00Z'].map((iso) => new Date(iso));
      const periods = starts.slice(0, -1).map((start, i) => [start, starts[i + 1]] as const);
      const onBounds = starts.flatMap((start, i) => [
        { user: `on-${i}`, when: start },
        { user: `before-${i}`, when: new Date(start.getTime() - 1) },
      ]);
      await made.services.activity.backfill([...weekOfRows(), ...onBounds]);
      const models = await Promise.all(periods.map(([start, end]) => modelCount(suite.db, start, end)));
      for (let run = 0; run < 2; run++) {
        const usage = await made.services.reports.usageForPeriods(periods);
        expect(usage.map((row) => row.usage.activeUsers)).toEqual(models);
      }
    });

    it('answers from the index (rows written by plain SQL are unseen) until reindex', async () => {
      await made.services.activity.backfill(weekOfRows());
      const before = await made.services.activity.countActiveUsers({ start: MIDNIGHT.mar29, end: MIDNIGHT.apr3 });
      await insertBehindTheBack(suite.db, [
        { userId: 'sql-only-1', when: new Date('2024-03-30T12:00:00Z') },
        { userId: 'sql-only-2', when: new Date('2024-04-01T12:00:00Z') },
      ]);
      await expect(made.services.activity.countActiveUsers({ start: MIDNIGHT.mar29, end: MIDNIGHT.apr3 })).resolves.toBe(before);
      const progress: [number, number][] = [];
      const { days } = await made.services.activity.reindex(undefined, { onProgress: (done, total) => progress.push([done, total]) });
      expect(days).toBeGreaterThanOrEqual(7);
      expect(progress.at(-1)).toEqual([days, days]);
      await expect(made.services.activity.countActiveUsers({ start: MIDNIGHT.mar29, end: MIDNIGHT.apr3 })).resolves.toBe(before + 2);
      await expectExact(suite.db, made.services);
    });
  });

  describe('on a Redis server of its own', () => {
    const own = useIndexedStore(suite, 'cut-able redis', ZONE);

    it('after FLUSHALL, days are rebuilt from SQL on their next use', async () => {
      const rows = weekOfRows();
      await own.services.activity.backfill(rows.slice(0, 150));
      await expectExact(suite.db, own.services);
      await own.raw.flushall();
      // Writes after the flush land in days the own.store no longer holds complete.
      for (const { user, when } of rows.slice(150)) await own.services.activity.souvenez(`after-${user}`, { when });
      expect(await complete(own.store, own.services, MIDNIGHT.mar29, MIDNIGHT.apr3)).toBe(false);
      await expectExact(suite.db, own.services);
      expect(await complete(own.store, own.services, MIDNIGHT.mar29, MIDNIGHT.apr3)).toBe(true);
    });

    it('rows written while Redis is unreachable: SQL answers meanwhile, their days are rebuilt after', async () => {
      const rows = weekOfRows();
      await own.services.activity.backfill(rows.slice(0, 150));
      await expectExact(suite.db, own.services);
      await suite.proxy.cut();
      await own.services.activity.backfill(rows.slice(150).map(({ user, when }) => ({ user: `outage-${user}`, when })));
      await expectExact(suite.db, own.services); // from SQL
      await suite.proxy.resume();
      await waitUntilStoreAnswers(own);
      await expectExact(suite.db, own.services); // from the index, the missed days rebuilt
      expect(await complete(own.store, own.services, MIDNIGHT.mar29, MIDNIGHT.apr3)).toBe(true);
    });
  });
});
