import type { Driver } from 'typeorm';
import { sqlDialectOf } from './sql-dialect.js';
import { SOUVENIRS_INDEX_TENANT_WHEN_USER, SOUVENIRS_INDEX_USER_WHEN, SOUVENIRS_INDEX_WHEN_USER, SOUVENIRS_TABLE } from './souvenirs-table.constants.js';

/**
 * The escaped names one statement on the souvenirs table needs. On PostgreSQL the
 * table and its indexes are qualified by the DataSource's `schema` option when set, as
 * TypeORM qualifies its own queries (the search path is left alone).
 *
 * @internal
 */
export interface SqlNames {
  /** The souvenirs table. */
  readonly table: string;
  /** A table or index `name` in the souvenirs table's schema (a temporary copy, an index on PostgreSQL). */
  qualified(name: string): string;
  /** `name` escaped as an identifier, unqualified (columns, MySQL index names). */
  escape(name: string): string;
  /** The escaped index names. */
  readonly indexWhenUser: string;
  readonly indexUserWhen: string;
  readonly indexTenantWhenUser: string;
}

/** {@link SqlNames} for a DataSource's driver. @internal */
export function sqlNames(driver: Driver): SqlNames {
  const schema = sqlDialectOf(String(driver.options.type)) === 'postgres' ? (driver.options as { schema?: string }).schema : undefined;
  const escape = (name: string) => driver.escape(name);
  const qualified = (name: string) => (schema ? `${escape(schema)}.${escape(name)}` : escape(name));
  return {
    table: qualified(SOUVENIRS_TABLE),
    qualified,
    escape,
    indexWhenUser: escape(SOUVENIRS_INDEX_WHEN_USER),
    indexUserWhen: escape(SOUVENIRS_INDEX_USER_WHEN),
    indexTenantWhenUser: escape(SOUVENIRS_INDEX_TENANT_WHEN_USER),
  };
}
