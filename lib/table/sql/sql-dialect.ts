import type { DataSource } from 'typeorm';
import { UnsupportedDatabaseError } from '../../errors/unsupported-database.error.js';

/**
 * The SQL families nestjs-souvenirs writes DDL and queries for.
 *
 * @internal
 */
export type SqlDialect = 'postgres' | 'mysql' | 'sqlite';

/**
 * Which SQL family a TypeORM driver type (`DataSourceOptions['type']`) speaks. The only
 * place a driver type is compared with a name: everything else branches on the
 * {@link SqlDialect} (or, better, asks the dialect's `DialectSql`).
 *
 * @internal
 * @throws UnsupportedDatabaseError for any other database type, naming it.
 */
export function sqlDialectOf(databaseType: string): SqlDialect {
  switch (databaseType) {
    case 'postgres':
      return 'postgres';
    case 'mysql':
    case 'mariadb':
      return 'mysql';
    case 'better-sqlite3':
    case 'sqlite':
      return 'sqlite';
    default:
      throw new UnsupportedDatabaseError(databaseType);
  }
}

/** Dialects already detected, per DataSource: a DataSource's driver never changes. */
const detected = new WeakMap<DataSource, SqlDialect>();

/**
 * The dialect of a DataSource, detected once from its driver's options and then
 * remembered. Services call this when they are built, so an unsupported database
 * stops the application at boot, not at its first query.
 *
 * @internal
 * @throws UnsupportedDatabaseError when the DataSource's database is not supported.
 */
export function sqlDialectOfDataSource(dataSource: DataSource): SqlDialect {
  let dialect = detected.get(dataSource);
  if (dialect === undefined) {
    dialect = sqlDialectOf(String(dataSource.driver?.options?.type ?? dataSource.options.type));
    detected.set(dataSource, dialect);
  }
  return dialect;
}
