import type { MigrationInterface, QueryRunner } from 'typeorm';
import { sqlDialectOf, type SqlDialect } from '../sql-dialect.js';

const TABLE = 'souvenirs';
const INDEX_WHEN_USER = 'IDX_souvenirs_when_user';
const INDEX_USER_WHEN = 'IDX_souvenirs_user_when';

/**
 * Creates the `souvenirs` table and its two indexes, in the DDL of the database the
 * migration runs on (PostgreSQL, MySQL/MariaDB or SQLite), so one migrations list
 * serves every database. The DDL is what `Souvenir`'s metadata describes: after this
 * migration TypeORM's schema diff of the entity is empty.
 *
 * On MySQL/MariaDB `user_id` uses the binary collation `utf8mb4_bin`, so user ids
 * compare exactly (`'Ann'` ≠ `'ann'`), as they do on PostgreSQL and SQLite.
 *
 * @publicApi
 * @throws UnsupportedDatabaseError (from `up`/`down`) on any other database.
 */
export class CreateSouvenirs1732300000000 implements MigrationInterface {
  readonly name = 'CreateSouvenirs1732300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const dialect = dialectOf(queryRunner);
    const table = qualifiedName(queryRunner, dialect, TABLE);
    const escape = (name: string) => queryRunner.connection.driver.escape(name);
    switch (dialect) {
      case 'postgres':
        await queryRunner.query(
          `CREATE TABLE ${table} ("id" SERIAL NOT NULL, "user_id" character varying(191) NOT NULL, ` +
            `"when" TIMESTAMP(3) NOT NULL, CONSTRAINT "PK_souvenirs" PRIMARY KEY ("id"))`,
        );
        await queryRunner.query(`CREATE INDEX ${escape(INDEX_WHEN_USER)} ON ${table} ("when", "user_id")`);
        await queryRunner.query(`CREATE INDEX ${escape(INDEX_USER_WHEN)} ON ${table} ("user_id", "when")`);
        return;
      case 'mysql':
        await queryRunner.query(
          `CREATE TABLE ${table} (\`id\` int NOT NULL AUTO_INCREMENT, ` +
            '`user_id` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, ' +
            '`when` datetime(3) NOT NULL, ' +
            `INDEX ${escape(INDEX_WHEN_USER)} (\`when\`, \`user_id\`), ` +
            `INDEX ${escape(INDEX_USER_WHEN)} (\`user_id\`, \`when\`), ` +
            'PRIMARY KEY (`id`)) ENGINE=InnoDB',
        );
        return;
      case 'sqlite':
        await queryRunner.query(
          `CREATE TABLE ${table} ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, ` +
            '"user_id" varchar(191) NOT NULL, "when" datetime(3) NOT NULL)',
        );
        await queryRunner.query(`CREATE INDEX ${escape(INDEX_WHEN_USER)} ON ${table} ("when", "user_id")`);
        await queryRunner.query(`CREATE INDEX ${escape(INDEX_USER_WHEN)} ON ${table} ("user_id", "when")`);
        return;
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const dialect = dialectOf(queryRunner);
    const table = qualifiedName(queryRunner, dialect, TABLE);
    for (const index of [INDEX_USER_WHEN, INDEX_WHEN_USER]) {
      // MySQL names an index within its table; PostgreSQL within the table's schema.
      await queryRunner.query(
        dialect === 'mysql'
          ? `DROP INDEX ${queryRunner.connection.driver.escape(index)} ON ${table}`
          : `DROP INDEX ${qualifiedName(queryRunner, dialect, index)}`,
      );
    }
    await queryRunner.query(`DROP TABLE ${table}`);
  }
}

function dialectOf(queryRunner: QueryRunner): SqlDialect {
  return sqlDialectOf(String(queryRunner.connection.driver.options.type));
}

/**
 * `name` escaped and, on PostgreSQL, qualified by the DataSource's `schema` option when
 * set, as TypeORM qualifies its own queries (the search path is left alone).
 */
function qualifiedName(queryRunner: QueryRunner, dialect: SqlDialect, name: string): string {
  const { driver } = queryRunner.connection;
  const schema = dialect === 'postgres' ? (driver.options as { schema?: string }).schema : undefined;
  return schema ? `${driver.escape(schema)}.${driver.escape(name)}` : driver.escape(name);
}
