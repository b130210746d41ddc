import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';

// ExactUserIds1764400000000 on a table an earlier version made on MariaDB: `user_id` in
// `utf8mb4_bin`, which pads (`'42 '` = `'42'`). After it, the ids compare byte for byte in
// comparisons, DISTINCT and both indexes, every row kept; `down` goes back.

describe('ExactUserIds1764400000000 on MariaDB', () => {
  let db: TestDatabase;
  const distinct = async () => {
    const [row] = (await db.dataSource.query('SELECT COUNT(DISTINCT user_id) AS n, COUNT(*) AS total FROM souvenirs')) as Array<{ n: string; total: string }>;
    return [Number(row.n), Number(row.total)];
  };
  const matches = async (id: string) =>
    Number(((await db.dataSource.query('SELECT COUNT(*) AS n FROM souvenirs FORCE INDEX (IDX_souvenirs_user_when) WHERE user_id = ?', [id])) as Array<{ n: string }>)[0].n);
  const collation = async () =>
    ((await db.dataSource.query("SELECT COLLATION_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'souvenirs' AND COLUMN_NAME = 'user_id'")) as Array<{ c: string }>)[0].c;

  beforeAll(async () => {
    db = await createTestDatabase('mariadb', { runMigrations: false });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('makes padded ids distinct in place, and goes back', async () => {
    await db.dataSource.runMigrations();
    // SouvenirTenants1764500000000, then this one.
    await db.dataSource.undoLastMigration();
    await db.dataSource.undoLastMigration();
    expect(await collation()).toBe('utf8mb4_bin');
    const when = new Date('2026-03-01T09:00:00Z');
    // As the earlier version wrote them (the entity now knows a `tenant` column this table has not).
    for (const userId of ['42', '42 ', '42  ']) await db.dataSource.query('INSERT INTO souvenirs (user_id, `when`) VALUES (?, ?)', [userId, when.getTime()]);
    // What the earlier version answered: one user of three rows.
    expect(await distinct()).toEqual([1, 3]);
    expect(await matches('42')).toBe(3);
    expect((await db.dataSource.runMigrations()).map((migration) => migration.name)).toEqual(['ExactUserIds1764400000000', 'SouvenirTenants1764500000000']);
    expect(await collation()).toBe('utf8mb4_nopad_bin');
    expect(await distinct()).toEqual([3, 3]);
    expect([await matches('42'), await matches('42 '), await matches('42   ')]).toEqual([1, 1, 0]);
    expect((await db.dataSource.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
    await db.dataSource.undoLastMigration();
    await db.dataSource.undoLastMigration();
    expect(await collation()).toBe('utf8mb4_bin');
    expect(await distinct()).toEqual([1, 3]);
  });
});
