import type { DataSource } from 'typeorm';
import type { DialectSql } from './dialect-sql.interface.js';
import { MYSQL_SQL } from './mysql.sql.js';
import { POSTGRES_SQL } from './postgres.sql.js';
import { sqlDialectOfDataSource, type SqlDialect } from './sql-dialect.js';
import { SQLITE_SQL } from './sqlite.sql.js';

/** The SQL of each dialect. */
const DIALECT_SQL: Record<SqlDialect, DialectSql> = {
  postgres: POSTGRES_SQL,
  mysql: MYSQL_SQL,
  sqlite: SQLITE_SQL,
};

/**
 * The SQL of a DataSource's dialect, detected once (see `sqlDialectOfDataSource`).
 *
 * @internal
 * @throws UnsupportedDatabaseError when the DataSource's database is not supported.
 */
export function dialectSqlOf(dataSource: DataSource): DialectSql {
  return DIALECT_SQL[sqlDialectOfDataSource(dataSource)];
}
