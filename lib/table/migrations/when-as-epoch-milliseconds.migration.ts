import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dialectSqlOf } from '../sql/dialect-sql.js';
import { sqlNames } from '../sql/sql-names.js';

/**
 * Converts `souvenirs.when` in place, every row kept, from the database's date type to
 * integer milliseconds since 1970-01-01T00:00:00Z (`bigint`), so that no driver or
 * process time zone can shift an instant.
 *
 * Stored dates are read as UTC wall-clock times, which is what the previous version
 * wrote under its documented settings (Node with `TZ=UTC` on PostgreSQL, `timezone: 'Z'`
 * on MySQL/MariaDB; SQLite always). Rows written by a process in another zone were
 * already shifted by that zone, and stay so.
 *
 * `down` converts back to UTC wall-clock dates. The conversion rewrites the table (and
 * both indexes): on a large table, run it when a pause in writes is acceptable.
 * @throws UnsupportedDatabaseError (from `up`/`down`) on any other database.
 */
export class WhenAsEpochMilliseconds1764300000000 implements MigrationInterface {
  readonly name = 'WhenAsEpochMilliseconds1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const sql = dialectSqlOf(queryRunner.connection);
    for (const statement of sql.whenToEpochMs(sqlNames(queryRunner.connection.driver))) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const sql = dialectSqlOf(queryRunner.connection);
    for (const statement of sql.whenToDate(sqlNames(queryRunner.connection.driver))) await queryRunner.query(statement);
  }
}
