import type { DateTime } from 'luxon';
import type { BackfillEntry } from '../lib/activity/activity.service.js';
import { random } from './bench-timing.js';

/**
 * `rows` souvenirs in time order, day by day over `days` local days from `firstDay`,
 * users 1…`users` drawn with a skew (user n is picked ∝ 1/√n-ish: a few very active,
 * many seldom), the same for every run with the same `seed`. With `tenantOf`, each row is in
 * the tenant it names for its user (given the generator, for a draw of its own); without,
 * the draws, and so the rows, are the same as ever.
 */
export function* skewedRows(
  { rows, users, days, firstDay, seed }: { rows: number; users: number; days: number; firstDay: DateTime; seed: number },
  tenantOf?: (user: number, next: () => number) => string,
): Generator<BackfillEntry> {
  const next = random(seed);
  const perDay = Math.ceil(rows / days);
  let made = 0;
  for (let d = 0; d < days && made < rows; d++) {
    const start = firstDay.plus({ days: d }).toMillis();
    const length = firstDay.plus({ days: d + 1 }).toMillis() - start;
    for (let i = 0; i < perDay && made < rows; i++, made++) {
      const r = next();
      const user = 1 + Math.floor(users * r * r);
      const when = new Date(start + Math.floor(next() * length));
      yield tenantOf ? { user, when, tenant: tenantOf(user, next) } : { user, when };
    }
  }
}
