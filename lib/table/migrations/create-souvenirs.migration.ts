import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dialectSqlOf } from '../sql/dialect-sql.js';
import { sqlNames } from '../sql/sql-names.js';

/**
 * Creates the `souvenirs` table and its two indexes, in the DDL of the database the
 * migration runs on (PostgreSQL, MySQL/MariaDB or SQLite), so one migrations list
 * serves every database. `when` is created in the database's date type, as this
 * version shipped it; {@link WhenAsEpochMilliseconds1764300000000} then turns it into
 * epoch milliseconds. After both, TypeORM's schema diff of `Souvenir` is empty.
 *
 * On MySQL/MariaDB `user_id` uses the binary collation `utf8mb4_bin`, so user ids
 * compare exactly (`'Ann'` ≠ `'ann'`), as they do on PostgreSQL and SQLite.
 * @throws UnsupportedDatabaseError (from `up`/`down`) on any other database.
 */
export class CreateSouvenirs1732300000000 implements MigrationInterface {
  readonly name = 'CreateSouvenirs1732300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const sql = dialectSqlOf(queryRunner.connection);
    for (const statement of sql.createSouvenirsTable(sqlNames(queryRunner.connection.driver))) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const sql = dialectSqlOf(queryRunner.connection);
    for (const statement of sql.dropSouvenirsTable(sqlNames(queryRunner.connection.driver))) await queryRunner.query(statement);
  }
}
