import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MemorySouvenirsStore } from '../../../lib/store/memory/memory-souvenirs.store.js';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../support/databases.js';
import { readIndexes } from '../../support/souvenirs-indexes.js';
import { createService } from './activity-test-kit.js';

// SouvenirTenants1764500000000 on a table of the previous version holding rows: the rows are
// kept (ids, users, instants) with no tenant, the entity's schema diff is empty, tenant rows
// are then written and counted, and `down` drops the column and its index, rows kept.

const ROWS = [
  { userId: 'ann', when: Date.UTC(2026, 2, 1, 9) },
  { userId: 'bob', when: Date.UTC(2026, 2, 1, 10) },
  { userId: 'ann', when: Date.UTC(2026, 2, 2, 9, 30, 0, 123) },
];

describe.each(DIALECTS)('SouvenirTenants1764500000000 on %s', (dialect) => {
  let db: TestDatabase;
  const table = () => (dialect === 'postgres' ? `"${(db.options as { schema: string }).schema}".souvenirs` : 'souvenirs');
  const q = (name: string) => (dialect === 'mariadb' ? `\`${name}\`` : `"${name}"`);
  const columns = async (): Promise<string[]> => {
    const runner = db.dataSource.createQueryRunner();
    try {
      return (await runner.getTable(table().replace(/"/g, '')))!.columns.map((column) => column.name).sort();
    } finally {
      await runner.release();
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    await db.dataSource.undoLastMigration();
    const placeholders = dialect === 'postgres' ? '$1, $2' : '?, ?';
    // As the previous version wrote them: no tenant column yet.
    for (const row of ROWS) await db.dataSource.query(`INSERT INTO ${table()} (${q('user_id')}, ${q('when')}) VALUES (${placeholders})`, [row.userId, row.when]);
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('adds the column and its index to a table with rows, keeping every row with no tenant', async () => {
    expect(await columns()).toEqual(['id', 'user_id', 'when']);
    expect((await db.dataSource.runMigrations()).map((migration) => migration.name)).toEqual(['SouvenirTenants1764500000000']);
    expect(await columns()).toEqual(['id', 'tenant', 'user_id', 'when']);
    expect((await readIndexes(dialect, db.dataSource)).IDX_souvenirs_tenant_when_user).toEqual(['tenant', 'when', 'user_id']);
    expect((await db.dataSource.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
    const rows = await db.dataSource.getRepository(Souvenir).find({ order: { id: 'ASC' } });
    expect(rows.map(({ id, userId, when, tenant }) => ({ id, userId, when: when.getTime(), tenant }))).toEqual(
      ROWS.map((row, i) => ({ id: i + 1, ...row, tenant: null })),
    );
  });

  it('then stores tenants byte for byte and counts them apart from the old rows', async () => {
    const store = new MemorySouvenirsStore();
    try {
      const activity = createService(db, store);
      const when = new Date(Date.UTC(2026, 2, 1, 12));
      // 'acme ' is not 'acme' (MariaDB's padded collations would merge them), nor 'ACME'.
      const users = { acme: 'ann', 'acme ': 'bob', ACME: 'cy' };
      for (const [tenant, user] of Object.entries(users)) await activity.souvenez(user, { when, tenant, ratelimit: false });
      const range = { start: new Date(Date.UTC(2026, 2, 1)), end: new Date(Date.UTC(2026, 2, 3)) };
      expect(await activity.countActiveUsers({ ...range, tenant: 'acme' })).toBe(1);
      expect(await activity.countActiveUsers({ ...range, tenant: 'acme ' })).toBe(1);
      expect(await activity.countActiveUsers({ ...range, tenant: 'acm' })).toBe(0);
      expect(await activity.countActiveUsers(range)).toBe(3);
      const tenants = await db.dataSource.getRepository(Souvenir).find({ order: { id: 'ASC' } });
      expect(tenants.map((row) => row.tenant)).toEqual([null, null, null, 'acme', 'acme ', 'ACME']);
    } finally {
      store.onModuleDestroy();
    }
  });

  it('reverts: down drops the column and its index, keeping every row', async () => {
    await db.dataSource.undoLastMigration();
    expect(await columns()).toEqual(['id', 'user_id', 'when']);
    expect(Object.keys(await readIndexes(dialect, db.dataSource)).sort()).toEqual(['IDX_souvenirs_user_when', 'IDX_souvenirs_when_user']);
    const [{ n }] = (await db.dataSource.query(`SELECT COUNT(*) AS n FROM ${table()}`)) as Array<{ n: string | number }>;
    expect(Number(n)).toBe(ROWS.length + 3);
    await db.dataSource.runMigrations();
    expect((await db.dataSource.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
  });
});
