import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { INACTIVE_USERS_PAGE } from '../../../lib/reports/inactive-users.js';
import { createTestDatabase, DIALECTS, type Dialect, type TestDatabase } from '../../support/databases.js';
import { TestMember } from '../../support/test-member.entity.js';
import { createSubsetServices, subsetStore } from './subset-kit.js';

const DAY = 86_400_000;
const BASE = Date.UTC(2024, 4, 1);
const MEMBERS = Array.from({ length: 12 }, (_, i) => i + 1);

const scenario = fc.record({
  members: fc.subarray(MEMBERS, { minLength: 0 }),
  orgs: fc.array(fc.constantFrom(null, 't1', 't2'), { minLength: MEMBERS.length, maxLength: MEMBERS.length }),
  rows: fc.array(
    fc.record({
      user: fc.constantFrom(...MEMBERS.map(String), 'x1'),
      when: fc.integer({ min: 0, max: 30 * DAY }).map((ms) => new Date(BASE + ms)),
      tenant: fc.constantFrom(null, 't1', 't2'),
    }),
    { maxLength: 40 },
  ),
  tenant: fc.option(fc.constant('t1'), { nil: undefined }),
  sinceMs: fc.integer({ min: -DAY, max: 31 * DAY }),
  among: fc.option(fc.subarray([...MEMBERS.map(String), 'x1', 'ghost']), { nil: undefined }),
});

describe.each(DIALECTS)('reports.inactiveUsers on %s', (dialect: Dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(dialect, { entities: [TestMember] });
  });
  afterAll(async () => {
    await db?.drop();
  });

  const collect = async (users: AsyncIterable<unknown>) => {
    const out: unknown[] = [];
    for await (const user of users) out.push(user);
    return out;
  };

  it('lists the users of the entity with no activity since the date (within among, in a tenant), equal to the model', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ members, orgs, rows, sinceMs, among, tenant }) => {
        await db.dataSource.getRepository(Souvenir).clear();
        await db.dataSource.getRepository(TestMember).clear();
        if (members.length > 0) await db.dataSource.getRepository(TestMember).insert(members.map((id) => ({ id, joinedAt: new Date(BASE), org: orgs[id - 1] })));
        const { store, close } = subsetStore('memory');
        try {
          const { activity, reports } = createSubsetServices(db, store);
          await activity.backfill(rows);
          const since = new Date(BASE + sinceMs);
          // A tenant's seats: its members, idle in it (activity in another tenant does not count).
          const active = new Set(rows.filter(({ when, tenant: t }) => when >= since && (tenant === undefined || t === tenant)).map(({ user }) => user));
          const model = members.filter(
            (id) => !active.has(String(id)) && (among === undefined || among.includes(String(id))) && (tenant === undefined || orgs[id - 1] === tenant),
          );
          const listed = await collect(reports.inactiveUsers({ since, among, tenant }));
          expect([...listed].sort((a, b) => Number(a) - Number(b))).toEqual([...model].sort((a, b) => a - b));
        } finally {
          await close();
        }
      }),
      { numRuns: dialect === 'sqlite' ? 25 : 10 },
    );
  }, 120_000);

  it(`pages through more users than one page (${INACTIVE_USERS_PAGE}), each idle one once`, async () => {
    await db.dataSource.getRepository(Souvenir).clear();
    await db.dataSource.getRepository(TestMember).clear();
    const count = 2 * INACTIVE_USERS_PAGE + 345;
    const ids = Array.from({ length: count }, (_, i) => i + 1);
    for (let from = 0; from < count; from += 500) {
      await db.dataSource.getRepository(TestMember).insert(ids.slice(from, from + 500).map((id) => ({ id, joinedAt: new Date(BASE) })));
    }
    const { store, close } = subsetStore('memory');
    try {
      const { activity, reports } = createSubsetServices(db, store);
      // Every third user active after `since`, the others only before it.
      await activity.backfill(ids.map((id) => ({ user: id, when: new Date(BASE + (id % 3 === 0 ? 2 : -2) * DAY) })));
      const listed = await collect(reports.inactiveUsers({ since: new Date(BASE) }));
      expect(listed).toEqual(ids.filter((id) => id % 3 !== 0));
    } finally {
      await close();
    }
  }, 120_000);
});
