import type { Repository } from 'typeorm';
import { isTimestampWithTimeZone } from '../reports/periods-table.js';
import type { SouvenirRow } from './activity-arguments.js';
import type { Souvenir } from './souvenir.entity.js';

/**
 * Inserts souvenirs in one statement, without reading generated ids back.
 *
 * PostgreSQL gets two array parameters (`unnest` of user ids and times): the
 * statement's text and parse cost do not grow with the batch, and the driver
 * sends two values instead of two per row, which is what takes a backfill past
 * 100,000 rows/s. Dates are bound as Date values, as the reports bind theirs.
 * Elsewhere, TypeORM's multi-row INSERT.
 *
 * @internal
 */
export async function insertSouvenirs(repository: Repository<Souvenir>, rows: readonly SouvenirRow[]): Promise<void> {
  if (rows.length === 0) return;
  const { connection } = repository.manager;
  if (connection.options.type === 'postgres') {
    const metadata = repository.metadata;
    const when = metadata.findColumnWithPropertyName('when')!;
    const user = metadata.findColumnWithPropertyName('userId')!;
    const table = metadata.tablePath
      .split('.')
      .map((part) => connection.driver.escape(part))
      .join('.');
    const array = isTimestampWithTimeZone(when.type) ? 'timestamptz(3)[]' : 'timestamp(3)[]';
    await repository.manager.query(
      `INSERT INTO ${table} (${connection.driver.escape(user.databaseName)}, ${connection.driver.escape(when.databaseName)}) ` +
        `SELECT * FROM unnest(CAST($1 AS varchar[]), CAST($2 AS ${array}))`,
      [rows.map((row) => row.userId), rows.map((row) => row.when)],
    );
    return;
  }
  await repository
    .createQueryBuilder()
    .insert()
    .into(repository.target)
    .values(rows.map(({ userId, when }) => ({ userId, when })))
    .updateEntity(false)
    .execute();
}
