import type { DialectSql } from './dialect-sql.interface.js';
import { JOINED_PERIOD_QUERIES } from './joined-period-queries.js';
import { instantParameter } from './instant-encoding.js';

/**
 * Binary collations that do not pad: `utf8mb4_bin` is PAD SPACE, so `'42 '` = `'42'` in
 * comparisons, DISTINCT and indexes. MariaDB has `utf8mb4_nopad_bin`; MySQL 8 has
 * `utf8mb4_0900_bin` (its 0900 collations are all NO PAD).
 */
const NO_PAD_BINARY = ['utf8mb4_nopad_bin', 'utf8mb4_0900_bin'] as const;

/** `user_id` in `collation`; MySQL rebuilds both indexes over it. */
const userIdIn = (table: string, collation: string): string =>
  `ALTER TABLE ${table} MODIFY \`user_id\` varchar(191) CHARACTER SET utf8mb4 COLLATE ${collation} NOT NULL`;

/** MySQL's DATETIME of 1970-01-01T00:00:00Z, the origin of epoch milliseconds. */
const EPOCH = "'1970-01-01 00:00:00'";

/**
 * MySQL and MariaDB. Periods are a `UNION ALL` of one-row SELECTs; the count joins
 * them with the souvenirs, grouped by period. On MySQL/MariaDB `user_id` uses a binary
 * collation with no padding (`utf8mb4_nopad_bin`, `utf8mb4_0900_bin`), so user ids
 * compare byte for byte (`'Ann'` ≠ `'ann'`, `'42 '` ≠ `'42'`), as they do on PostgreSQL
 * and SQLite.
 *
 * @internal
 */
export const MYSQL_SQL: DialectSql = {
  dialect: 'mysql',

  periodsTable(periods, encoding) {
    // A Date is converted by mysql2 in the connection's time zone, as on insert.
    const type = encoding === 'epoch-ms' ? 'SIGNED' : 'DATETIME(3)';
    const parameters: Record<string, unknown> = {};
    const rows = periods.map(([start, end], i) => {
      parameters[`lo${i}`] = instantParameter(start, encoding);
      parameters[`hi${i}`] = instantParameter(end, encoding);
      return `SELECT ${i} AS idx, CAST(:lo${i} AS ${type}) AS lo, CAST(:hi${i} AS ${type}) AS hi`;
    });
    return { sql: `(${rows.join(' UNION ALL ')})`, parameters };
  },

  ...JOINED_PERIOD_QUERIES,

  insertFromArrays: () => null,

  countSplit: null,

  userIdsIn(column, ids) {
    // One placeholder per id (MariaDB has no JSON_TABLE before 10.6): bounded by userIdsPerStatement,
    // which with a report's 2 × 10,000 period placeholders stays under the protocol's 65,535.
    return { sql: `${column} IN (:...subsetIds)`, parameters: { subsetIds: [...ids] } };
  },

  userIdsPerStatement: 5_000,

  // InnoDB inserts concurrent batches side by side, as PostgreSQL does.
  backfillConcurrency: 2,

  sliceOf: () => null,

  createSouvenirsTable({ table, indexWhenUser, indexUserWhen }) {
    return [
      `CREATE TABLE ${table} (\`id\` int NOT NULL AUTO_INCREMENT, ` +
        '`user_id` varchar(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, ' +
        '`when` datetime(3) NOT NULL, ' +
        `INDEX ${indexWhenUser} (\`when\`, \`user_id\`), ` +
        `INDEX ${indexUserWhen} (\`user_id\`, \`when\`), ` +
        'PRIMARY KEY (`id`)) ENGINE=InnoDB',
    ];
  },

  dropSouvenirsTable({ table, indexWhenUser, indexUserWhen }) {
    // MySQL names an index within its table.
    return [`DROP INDEX ${indexUserWhen} ON ${table}`, `DROP INDEX ${indexWhenUser} ON ${table}`, `DROP TABLE ${table}`];
  },

  whenToEpochMs(names) {
    // TIMESTAMPDIFF is wall-clock arithmetic, independent of the session's time zone
    // (UNIX_TIMESTAMP is not, and stops in 2038).
    return convertWhen(names, 'bigint', `TIMESTAMPDIFF(MICROSECOND, ${EPOCH}, \`when\`) DIV 1000`);
  },

  exactUserIdCollations:
    `SELECT COLLATION_NAME AS name FROM information_schema.COLLATIONS WHERE COLLATION_NAME IN (${NO_PAD_BINARY.map((name) => `'${name}'`).join(', ')})`,

  exactUserIds({ table }, available) {
    const collation = NO_PAD_BINARY.find((name) => available.includes(name));
    return collation ? [userIdIn(table, collation)] : [];
  },

  paddedUserIds({ table }) {
    return [userIdIn(table, 'utf8mb4_bin')];
  },

  addTenants({ table, indexTenantWhenUser }, available) {
    // The collation of `user_id` (byte for byte, no padding), so `'acme '` is not `'acme'`;
    // `utf8mb4_bin` where the server has neither (MySQL 5.7, as ExactUserIds1764400000000 warned).
    const collation = NO_PAD_BINARY.find((name) => available.includes(name)) ?? 'utf8mb4_bin';
    return [
      `ALTER TABLE ${table} ADD COLUMN \`tenant\` varchar(255) CHARACTER SET utf8mb4 COLLATE ${collation} NULL, ` +
        `ADD INDEX ${indexTenantWhenUser} (\`tenant\`, \`when\`, \`user_id\`)`,
    ];
  },

  dropTenants({ table, indexTenantWhenUser }) {
    return [`ALTER TABLE ${table} DROP INDEX ${indexTenantWhenUser}, DROP COLUMN \`tenant\``];
  },

  whenToDate(names) {
    return convertWhen(names, 'datetime(3)', `TIMESTAMPADD(MICROSECOND, \`when\` * 1000, ${EPOCH})`);
  },
};

/**
 * MySQL cannot change a column's meaning in one ALTER (it would read a DATETIME as the
 * number 20260329013000.123): a new column is filled from the old one, which it then
 * replaces, and the indexes are rebuilt over it.
 */
function convertWhen({ table, indexWhenUser, indexUserWhen }: Parameters<DialectSql['whenToDate']>[0], type: string, value: string): string[] {
  return [
    `ALTER TABLE ${table} DROP INDEX ${indexWhenUser}, DROP INDEX ${indexUserWhen}, ADD COLUMN \`when_converted\` ${type} NULL`,
    `UPDATE ${table} SET \`when_converted\` = ${value}`,
    `ALTER TABLE ${table} DROP COLUMN \`when\`, CHANGE \`when_converted\` \`when\` ${type} NOT NULL, ` +
      `ADD INDEX ${indexWhenUser} (\`when\`, \`user_id\`), ADD INDEX ${indexUserWhen} (\`user_id\`, \`when\`)`,
  ];
}
