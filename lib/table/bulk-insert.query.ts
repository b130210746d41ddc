import type { Repository } from 'typeorm';
import { dialectSqlOf } from './sql/dialect-sql.js';
import { sqlNames } from './sql/sql-names.js';
import { escapeQueryWithParameters } from './typeorm-compat.js';
import type { Souvenir, SouvenirRow } from './souvenir.entity.js';

/**
 * Inserts souvenirs in one statement, without reading generated ids back.
 *
 * Where the dialect binds arrays (PostgreSQL), two array parameters: the statement's
 * text and parse cost do not grow with the batch, and the driver sends two values
 * instead of two per row. Elsewhere, TypeORM's multi-row INSERT.
 *
 * @internal
 */
export async function insertSouvenirs(repository: Repository<Souvenir>, rows: readonly SouvenirRow[]): Promise<void> {
  if (rows.length === 0) return;
  const { connection } = repository.manager;
  // `when` holds epoch milliseconds (see Souvenir).
  const statement = dialectSqlOf(connection).insertFromArrays(
    sqlNames(connection.driver),
    rows.map((row) => row.userId),
    rows.map((row) => row.when.getTime()),
    rows.map((row) => row.tenant),
  );
  if (statement !== null) {
    const [query, parameters] = escapeQueryWithParameters(connection.driver, statement.sql, statement.parameters);
    await repository.manager.query(query, parameters);
    return;
  }
  await repository
    .createQueryBuilder()
    .insert()
    .into(repository.target)
    .values(rows.map(({ userId, when, tenant }) => ({ userId, when, tenant })))
    .updateEntity(false)
    .execute();
}
