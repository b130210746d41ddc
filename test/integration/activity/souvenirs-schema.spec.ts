import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SOUVENIRS_MIGRATIONS } from '../../../lib/table/migrations/index.js';
import { SOUVENIRS_ENTITIES } from '../../../lib/table/souvenirs-entities.js';
import { createTestDatabase, DIALECTS, POSTGRES_SERVER, type TestDatabase } from '../../support/databases.js';
import { readIndexes } from '../../support/souvenirs-indexes.js';

const EXPECTED_INDEXES = {
  IDX_souvenirs_user_when: ['user_id', 'when'],
  IDX_souvenirs_when_user: ['when', 'user_id'],
  IDX_souvenirs_tenant_when_user: ['tenant', 'when', 'user_id'],
};

async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const log = await dataSource.driver.createSchemaBuilder().log();
  return log.upQueries.map((query) => query.query);
}

describe.each(DIALECTS)('SOUVENIRS_MIGRATIONS on %s', (dialect) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('leave the Souvenir entity with an empty TypeORM schema diff', async () => {
    expect(await pendingSchemaChanges(db.dataSource)).toEqual([]);
  });

  it('create both composite indexes, with their columns in order', async () => {
    expect(await readIndexes(dialect, db.dataSource)).toEqual(EXPECTED_INDEXES);
  });

  it('are recorded as run, so running them again does nothing', async () => {
    expect(await db.dataSource.showMigrations()).toBe(false);
    expect(await db.dataSource.runMigrations()).toEqual([]);
  });

  it('revert: down drops the indexes and the table, and up recreates them', async () => {
    // Newest first: `when` back to a date column, then the table.
    for (const _ of SOUVENIRS_MIGRATIONS) await db.dataSource.undoLastMigration();
    const queryRunner = db.dataSource.createQueryRunner();
    try {
      expect(await queryRunner.hasTable('souvenirs')).toBe(false);
    } finally {
      await queryRunner.release();
    }
    expect(await readIndexes(dialect, db.dataSource)).toEqual({});

    const ran = await db.dataSource.runMigrations();
    expect(ran.map((migration) => migration.name)).toEqual(SOUVENIRS_MIGRATIONS.map((migration) => migration.name));
    expect(await pendingSchemaChanges(db.dataSource)).toEqual([]);
    expect(await readIndexes(dialect, db.dataSource)).toEqual(EXPECTED_INDEXES);
  });
});

describe('SOUVENIRS_MIGRATIONS on postgres without a `schema` option (a fresh database, its public schema)', () => {
  const database = `souvenirs_t_${randomBytes(6).toString('hex')}`;
  let admin: DataSource;
  let dataSource: DataSource;

  beforeAll(async () => {
    admin = new DataSource(POSTGRES_SERVER);
    await admin.initialize();
    await admin.query(`CREATE DATABASE "${database}"`);
    dataSource = new DataSource({
      ...POSTGRES_SERVER,
      database,
      entities: SOUVENIRS_ENTITIES,
      migrations: SOUVENIRS_MIGRATIONS,
    });
    await dataSource.initialize();
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await admin?.query(`DROP DATABASE IF EXISTS "${database}"`);
    if (admin?.isInitialized) await admin.destroy();
  });

  it('run up and down unqualified, with an empty schema diff', async () => {
    await dataSource.runMigrations();
    expect(await pendingSchemaChanges(dataSource)).toEqual([]);
    const [{ schemaname }] = await dataSource.query(`SELECT schemaname FROM pg_tables WHERE tablename = 'souvenirs'`);
    expect(schemaname).toBe('public');
    for (const _ of SOUVENIRS_MIGRATIONS) await dataSource.undoLastMigration();
    expect(await dataSource.query(`SELECT 1 FROM pg_class WHERE relname LIKE '%souvenirs%'`)).toEqual([]);
  });
});
