import { UnsupportedDatabaseError } from '../errors/unsupported-database.error.js';

/**
 * The SQL families nestjs-souvenirs writes DDL and queries for.
 *
 * @internal
 */
export type SqlDialect = 'postgres' | 'mysql' | 'sqlite';

/**
 * Which SQL family a TypeORM driver type (`DataSourceOptions['type']`) speaks.
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
