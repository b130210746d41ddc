import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dialectSqlOf } from '../sql/dialect-sql.js';
import { sqlNames } from '../sql/sql-names.js';

/**
 * Adds the nullable `tenant` column (`varchar(255)`: the organisation or workspace a user
 * was active in) and the `(tenant, when, user_id)` index that answers a tenant's range
 * counts, every row kept with no tenant. On MySQL/MariaDB the column takes the byte-exact,
 * no-pad collation of `user_id` (see {@link ExactUserIds1764400000000}). PostgreSQL and
 * SQLite add the column in place; MySQL/MariaDB may rebuild the table to add the index, so
 * on a large table run it when a pause in writes is acceptable. `down` drops both.
 *
 * @throws UnsupportedDatabaseError (from `up`/`down`) on any other database.
 */
export class SouvenirTenants1764500000000 implements MigrationInterface {
  readonly name = 'SouvenirTenants1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const sql = dialectSqlOf(queryRunner.connection);
    const available = sql.exactUserIdCollations === null ? [] : ((await queryRunner.query(sql.exactUserIdCollations)) as Array<{ name: string }>).map((row) => row.name);
    for (const statement of sql.addTenants(sqlNames(queryRunner.connection.driver), available)) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const sql = dialectSqlOf(queryRunner.connection);
    for (const statement of sql.dropTenants(sqlNames(queryRunner.connection.driver))) await queryRunner.query(statement);
  }
}
