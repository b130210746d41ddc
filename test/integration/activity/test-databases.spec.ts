import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { createTestDatabase, DIALECTS, type Dialect, type TestDatabase, type TestDatabaseOptions } from '../../support/databases.js';
import { TestUser } from '../../support/test-user.entity.js';

/** Whether the schema / database / file behind `db` still exists, asked through `probe` (another live database of the dialect). */
async function stillExists(dialect: Dialect, db: TestDatabase, probe: TestDatabase): Promise<boolean> {
  const options = db.options as unknown as { schema?: string; database: string };
  switch (dialect) {
    case 'sqlite':
      return existsSync(options.database);
    case 'postgres':
      return (await probe.dataSource.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [options.schema])).length > 0;
    case 'mariadb':
      return (await probe.dataSource.query('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [options.database])).length > 0;
  }
}

describe.each(DIALECTS)('createTestDatabase(%s)', (dialect) => {
  const opened: TestDatabase[] = [];
  const open = async (options?: TestDatabaseOptions) => {
    const db = await createTestDatabase(dialect, options);
    opened.push(db);
    return db;
  };

  afterAll(async () => {
    for (const db of opened) await db.drop();
  });

  it('creates extra entities\u2019 tables beside the migrated souvenirs table, with an empty schema diff', async () => {
    const db = await open({ entities: [TestUser] });
    const log = await db.dataSource.driver.createSchemaBuilder().log();
    expect(log.upQueries.map((query) => query.query)).toEqual([]);
    await db.dataSource.getRepository(TestUser).insert({ dateJoined: new Date('2020-01-01T00:00:00Z') });
    await db.dataSource.getRepository(Souvenir).insert({ userId: '1', when: new Date('2020-01-02T00:00:00Z') });
    expect(await db.dataSource.getRepository(TestUser).count()).toBe(1);
    expect(await db.dataSource.getRepository(Souvenir).count()).toBe(1);
  });

  it('with runMigrations: false leaves the souvenirs table to the test, extra tables created', async () => {
    const db = await open({ entities: [TestUser], runMigrations: false });
    const queryRunner = db.dataSource.createQueryRunner();
    try {
      expect(await queryRunner.hasTable('souvenirs')).toBe(false);
      expect(await queryRunner.hasTable('test_users')).toBe(true);
    } finally {
      await queryRunner.release();
    }
    expect(await db.dataSource.showMigrations()).toBe(true);
  });

  it('isolates each call, and drop() removes what it created (twice is harmless)', async () => {
    const first = await open();
    const second = await open();
    await first.dataSource.getRepository(Souvenir).insert({ userId: 'a', when: new Date('2020-01-01T00:00:00Z') });
    expect(await second.dataSource.getRepository(Souvenir).count()).toBe(0);

    expect(await stillExists(dialect, first, second)).toBe(true);
    await first.drop();
    await first.drop();
    expect(first.dataSource.isInitialized).toBe(false);
    expect(await stillExists(dialect, first, second)).toBe(false);
  });
});
