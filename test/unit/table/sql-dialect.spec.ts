import { describe, expect, it } from '@jest/globals';
import type { DataSource, QueryRunner } from 'typeorm';
import { CreateSouvenirs1732300000000, WhenAsEpochMilliseconds1764300000000 } from '../../../lib/table/migrations/index.js';
import { dialectSqlOf } from '../../../lib/table/sql/dialect-sql.js';
import { sqlDialectOf, sqlDialectOfDataSource } from '../../../lib/table/sql/sql-dialect.js';
import { UnsupportedDatabaseError } from '../../../lib/errors/unsupported-database.error.js';

describe('sqlDialectOf', () => {
  it.each([
    ['postgres', 'postgres'],
    ['mysql', 'mysql'],
    ['mariadb', 'mysql'],
    ['better-sqlite3', 'sqlite'],
    ['sqlite', 'sqlite'],
  ])('maps %s to %s', (type, dialect) => {
    expect(sqlDialectOf(type)).toBe(dialect);
  });

  it.each(['oracle', 'mssql', 'cockroachdb', 'mongodb'])('rejects %s with UnsupportedDatabaseError naming it', (type) => {
    expect(() => sqlDialectOf(type)).toThrow(UnsupportedDatabaseError);
    expect(() => sqlDialectOf(type)).toThrow(`does not support the "${type}" database`);
  });
});

describe('sqlDialectOfDataSource', () => {
  /** Only what detection reads: the driver's options. */
  const dataSourceOf = (type: string) => ({ driver: { options: { type } }, options: { type } }) as unknown as DataSource;

  it('detects a DataSource once: its dialect is remembered, not read again', () => {
    const dataSource = dataSourceOf('mariadb');
    expect(sqlDialectOfDataSource(dataSource)).toBe('mysql');
    (dataSource.driver.options as { type: string }).type = 'oracle';
    expect(sqlDialectOfDataSource(dataSource)).toBe('mysql');
  });

  it('gives each dialect its own SQL', () => {
    expect(['postgres', 'mysql', 'better-sqlite3'].map((type) => dialectSqlOf(dataSourceOf(type)).dialect)).toEqual([
      'postgres',
      'mysql',
      'sqlite',
    ]);
  });

  it('rejects an unsupported DataSource with UnsupportedDatabaseError', () => {
    expect(() => dialectSqlOf(dataSourceOf('mssql'))).toThrow(UnsupportedDatabaseError);
  });
});

describe.each([
  ['CreateSouvenirs1732300000000', CreateSouvenirs1732300000000],
  ['WhenAsEpochMilliseconds1764300000000', WhenAsEpochMilliseconds1764300000000],
])('%s', (_, Migration) => {
  it('is named after its class, as TypeORM records migrations', () => {
    expect(new Migration().name).toBe(Migration.name);
  });

  it.each(['up', 'down'] as const)('%s on an unsupported database fails before running any SQL', async (direction) => {
    const queries: string[] = [];
    // Only what the migration reads before choosing its DDL; `query` records anything it would run.
    const queryRunner = {
      connection: { driver: { options: { type: 'oracle' }, escape: (name: string) => `"${name}"` } },
      query: async (sql: string) => {
        queries.push(sql);
      },
    } as unknown as QueryRunner;
    await expect(new Migration()[direction](queryRunner)).rejects.toThrow(
      'nestjs-souvenirs does not support the "oracle" database',
    );
    expect(queries).toEqual([]);
  });
});
