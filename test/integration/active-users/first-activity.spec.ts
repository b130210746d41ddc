import { describe, expect, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { epochDayOf } from '../../../lib/active-users/first-activity.js';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { MemorySouvenirsStore } from '../../../lib/store/memory/memory-souvenirs.store.js';
import { RedisSouvenirsStore } from '../../../lib/store/redis/redis-souvenirs.store.js';
import { DIALECTS, type TestDatabase } from '../../support/databases.js';
import { createIndexedServices, insertBehindTheBack, type IndexedServices, useIndexedStore, useIndexSuite, waitUntilStoreAnswers } from './active-index-kit.js';

const ZONE = 'Europe/Paris';
/** The window of the cohorts: Paris days 29 March to 2 April 2024 (the 23-hour DST day inside). */
const WINDOW = { start: new Date('2024-03-28T23:00:00Z'), end: new Date('2024-04-02T22:00:00Z') };
const DATES = ['2024-03-29', '2024-03-30', '2024-03-31', '2024-04-01', '2024-04-02'];

/** 200 rows of 40 users from 27 March to 3 April, deterministic: some users first active before the window. */
function rowsOf(prefix: string, count = 200): { user: string; when: Date }[] {
  let seed = 11;
  // The high bits of a linear congruential generator: its low bits repeat too soon.
  const next = (below: number) => Math.floor(((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * below);
  const start = Date.UTC(2024, 2, 27, 6);
  return Array.from({ length: count }, () => ({ user: `${prefix}${next(40)}`, when: new Date(start + next(7 * 24 * 60) * 60_000) }));
}

/** Users first active on each day of the window: the brute-force model, from every stored row. */
async function modelCohorts(db: TestDatabase): Promise<number[]> {
  const first = new Map<string, number>();
  for (const { userId, when } of await db.dataSource.getRepository(Souvenir).find()) {
    first.set(userId, Math.min(first.get(userId) ?? Infinity, when.getTime()));
  }
  const sizes = DATES.map(() => 0);
  for (const ms of first.values()) {
    const at = DATES.indexOf(DateTime.fromMillis(ms, { zone: ZONE }).toISODate()!);
    if (at >= 0) sizes[at] += 1;
  }
  return sizes;
}

/** Daily retention cohorts and lifecycle "new" of the window equal the model (both need first activity). */
async function expectFirstExact(db: TestDatabase, services: IndexedServices): Promise<void> {
  const model = await modelCohorts(db);
  const cohorts = await services.reports.retention({ ...WINDOW, period: 'day' });
  expect(cohorts.map(({ size }) => size)).toEqual(model);
  const lifecycle = await services.reports.lifecycle({ ...WINDOW, period: 'day' });
  expect(lifecycle.map((row) => row.new)).toEqual(model);
  expect(model.some((size) => size > 0)).toBe(true); // else the test would prove nothing
}

/** Whether the store holds first activity complete: the analytics then ask SQL nothing about it. */
async function firstActivityComplete(store: MemorySouvenirsStore | RedisSouvenirsStore): Promise<boolean> {
  const window = { calendar: ZONE, fromDay: epochDayOf(DATES[0]), toDay: epochDayOf(DATES[DATES.length - 1]) };
  return (await store.readActiveDays([], [], window)).firstActive != null;
}

describe.each(DIALECTS)('first activity from the store on %s', (dialect) => {
  const suite = useIndexSuite(dialect);

  describe.each(['memory', 'redis'] as const)('with the %s store', (kind) => {
    const made = useIndexedStore(suite, kind, ZONE);

    it('is built from SQL on first use, then kept by souvenez and by backfills into past days', async () => {
      // A table holding rows the store never saw: first activity waits for its first use.
      await insertBehindTheBack(suite.db, [{ userId: 'earlier', when: new Date('2024-03-01T12:00:00Z') }]);
      await made.services.activity.backfill(rowsOf('u'));
      expect(await firstActivityComplete(made.store)).toBe(false);
      await expectFirstExact(suite.db, made.services); // builds it
      expect(await firstActivityComplete(made.store)).toBe(true);
      // Every user seen so far active on 28 March too: none of them is new in the window any more.
      await made.services.activity.backfill(rowsOf('u').map(({ user }) => ({ user, when: new Date('2024-03-28T12:00:00Z') })));
      for (const { user, when } of rowsOf('late-', 30)) await made.services.activity.souvenez(user, { when });
      expect(await firstActivityComplete(made.store)).toBe(true); // kept, not rebuilt
      await expectFirstExact(suite.db, made.services);
    });

    it('is complete after a backfill into an empty table, and exact, without a build', async () => {
      await made.services.activity.backfill(rowsOf('u'));
      expect(await firstActivityComplete(made.store)).toBe(true);
      await expectFirstExact(suite.db, made.services);
      for (const { user, when } of rowsOf('late-', 30)) await made.services.activity.souvenez(user, { when });
      await expectFirstExact(suite.db, made.services);
    });

    it('rows written or deleted by plain SQL are seen after reindex, earlier and later first activity included', async () => {
      await made.services.activity.backfill(rowsOf('u'));
      await expectFirstExact(suite.db, made.services);
      // Deleted: every row before the window, so the users first active then become new in it.
      const repository = suite.db.dataSource.getRepository(Souvenir);
      const before = (await repository.find()).filter(({ when }) => when < WINDOW.start);
      expect(before.length).toBeGreaterThan(0);
      await repository.delete(before.map(({ id }) => id));
      await insertBehindTheBack(suite.db, [
        ...rowsOf('u', 10).map(({ user }) => ({ userId: user, when: new Date('2024-03-20T12:00:00Z') })),
        { userId: 'sql-only', when: new Date('2024-03-30T12:00:00Z') },
      ]);
      await made.services.activity.reindex();
      await expectFirstExact(suite.db, made.services);
      expect(await firstActivityComplete(made.store)).toBe(true);
    });
  });

  it('a store that keeps the days but no first activity: SQL says who was first active', async () => {
    const memory = new MemorySouvenirsStore();
    // The memory store itself, its first-activity methods hidden, as a store of one's own would lack them.
    const store = Object.assign(Object.create(memory) as MemorySouvenirsStore, { addFirstActivity: undefined, invalidateFirstActivity: undefined });
    const services = createIndexedServices(suite.db, store, { timeZone: ZONE });
    try {
      await services.activity.backfill(rowsOf('u'));
      await expectFirstExact(suite.db, services);
      await services.activity.backfill([...rowsOf('u').map(({ user }) => ({ user, when: new Date('2024-03-28T12:00:00Z') })), ...rowsOf('late-', 30)]);
      await expectFirstExact(suite.db, services);
      expect(await firstActivityComplete(memory)).toBe(false); // never built: SQL answered
    } finally {
      memory.onModuleDestroy();
    }
  });

  describe('on a Redis server of its own', () => {
    const own = useIndexedStore(suite, 'cut-able redis', ZONE);

    it('after FLUSHALL, writes land in an incomplete first activity, rebuilt from SQL on next use', async () => {
      await own.services.activity.backfill(rowsOf('u'));
      await expectFirstExact(suite.db, own.services);
      await own.raw.flushall();
      for (const { user, when } of rowsOf('after-', 30)) await own.services.activity.souvenez(user, { when });
      expect(await firstActivityComplete(own.store)).toBe(false);
      await expectFirstExact(suite.db, own.services);
      expect(await firstActivityComplete(own.store)).toBe(true);
    });

    it('rows written while Redis is unreachable: SQL answers meanwhile, first activity is rebuilt after', async () => {
      await own.services.activity.backfill(rowsOf('u'));
      await expectFirstExact(suite.db, own.services);
      await suite.proxy.cut();
      // Earlier rows of known users (their first activity moves out of the window) and new users.
      await own.services.activity.backfill([
        ...rowsOf('u', 60).map(({ user }) => ({ user, when: new Date('2024-03-28T12:00:00Z') })),
        ...rowsOf('outage-', 40),
      ]);
      await expectFirstExact(suite.db, own.services); // from SQL
      await suite.proxy.resume();
      await waitUntilStoreAnswers(own);
      await expectFirstExact(suite.db, own.services); // from the own.store, rebuilt
      expect(await firstActivityComplete(own.store)).toBe(true);
    });
  });
});
