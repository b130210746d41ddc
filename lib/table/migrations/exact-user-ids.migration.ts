import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dialectSqlOf } from '../sql/dialect-sql.js';
import { sqlNames } from '../sql/sql-names.js';

/**
 * One id, one user: on MySQL/MariaDB, `user_id` moves from `utf8mb4_bin`, which is PAD
 * SPACE (`'42 '` = `'42'` in SQL, so a count, a DISTINCT, an index lookup and
 * `checkDuplicate` took two users for one while the Redis index kept two), to a binary
 * collation that does not pad: `utf8mb4_nopad_bin` on MariaDB, `utf8mb4_0900_bin` on
 * MySQL 8, whichever the server has. Rows are kept; MySQL rebuilds both indexes, so on
 * a large table run it when a pause in writes is acceptable. On a server with neither
 * (MySQL 5.7) nothing changes and a warning is logged. PostgreSQL and SQLite compare ids
 * byte for byte already: nothing to do.
 *
 * After this migration, run `reindex` once if ids differing only by trailing spaces were
 * written before it: the active-users index then matches SQL again.
 *
 * @throws UnsupportedDatabaseError (from `up`/`down`) on any other database.
 */
export class ExactUserIds1764400000000 implements MigrationInterface {
  readonly name = 'ExactUserIds1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const sql = dialectSqlOf(queryRunner.connection);
    if (sql.exactUserIdCollations === null) return;
    const rows = (await queryRunner.query(sql.exactUserIdCollations)) as Array<{ name: string }>;
    const statements = sql.exactUserIds(sqlNames(queryRunner.connection.driver), rows.map((row) => row.name));
    if (statements.length === 0) {
      queryRunner.connection.logger.log(
        'warn',
        'nestjs-souvenirs: this server has no binary collation without padding (utf8mb4_nopad_bin, utf8mb4_0900_bin): ' +
          "user ids differing only by trailing spaces ('42 ', '42') stay one user in SQL. Upgrade to MySQL 8 or MariaDB 10.2+.",
      );
    }
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const sql = dialectSqlOf(queryRunner.connection);
    for (const statement of sql.paddedUserIds(sqlNames(queryRunner.connection.driver))) await queryRunner.query(statement);
  }
}
