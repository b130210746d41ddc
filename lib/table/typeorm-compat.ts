import type { Driver } from 'typeorm';

/**
 * The one home of what differs between the TypeORM lines this package supports
 * (`^0.3 || ^1`), so each query reads the same on both.
 *
 * `driver.escapeQueryWithParameters` binds named parameters (`:name`, `:...list`) into the
 * driver's placeholders. TypeORM 0.3 takes a third argument, the native parameters, and
 * reads it unguarded (`Object.keys(undefined)` throws); TypeORM 1 dropped it. An empty
 * object suits both.
 *
 * @internal
 */
export function escapeQueryWithParameters(driver: Driver, sql: string, parameters: Record<string, unknown>): [string, unknown[]] {
  const escape = driver.escapeQueryWithParameters as (sql: string, parameters: object, nativeParameters: object) => [string, unknown[]];
  return escape.call(driver, sql, parameters, {});
}
