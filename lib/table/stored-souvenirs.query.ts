import type { Repository } from 'typeorm';
import type { Souvenir, SouvenirRow } from './souvenir.entity.js';

/**
 * Pairs looked up per duplicate-check query. Each pair is an `(user AND when)` term
 * OR-ed with the others: SQLite refuses an expression tree deeper than 1000 (so about
 * 1000 pairs), and every database plans a long OR list slower per pair than a short one.
 */
export const DUPLICATE_CHECK_CHUNK = 500;

/**
 * Identity of a souvenir for duplicate checks: user, exact millisecond and tenant (the
 * same instant in two tenants is two activities). NUL, which neither id may hold, ends the user.
 * @internal
 */
export function souvenirKey(row: Pick<SouvenirRow, 'userId' | 'when' | 'tenant'>): string {
  return `${row.when.getTime()} ${row.userId}\u0000${row.tenant ?? ''}`;
}

/**
 * The keys (see {@link souvenirKey}) of those `rows` already stored (same user, instant and tenant): one query per
 * {@link DUPLICATE_CHECK_CHUNK} distinct pairs.
 *
 * @internal
 */
export async function findStoredKeys(repository: Repository<Souvenir>, rows: readonly SouvenirRow[]): Promise<Set<string>> {
  const unique = [...new Map(rows.map((row) => [souvenirKey(row), row])).values()];
  const stored = new Set<string>();
  for (let start = 0; start < unique.length; start += DUPLICATE_CHECK_CHUNK) {
    const parameters: Record<string, unknown> = {};
    const conditions = unique.slice(start, start + DUPLICATE_CHECK_CHUNK).map((row, i) => {
      parameters[`user${i}`] = row.userId;
      parameters[`when${i}`] = row.when.getTime(); // epoch milliseconds, as stored
      if (row.tenant === null) return `(souvenir.userId = :user${i} AND souvenir.when = :when${i} AND souvenir.tenant IS NULL)`;
      parameters[`tenant${i}`] = row.tenant;
      return `(souvenir.userId = :user${i} AND souvenir.when = :when${i} AND souvenir.tenant = :tenant${i})`;
    });
    // OR-ed (user, when) pairs: each is an equality lookup of IDX_souvenirs_user_when on every database.
    const found = await repository.createQueryBuilder('souvenir').where(conditions.join(' OR '), parameters).getMany();
    for (const souvenir of found) stored.add(souvenirKey(souvenir));
  }
  return stored;
}
