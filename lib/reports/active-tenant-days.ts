import type { EntityManager } from 'typeorm';
import type { LocalDay } from '../calendar/local-days.js';
import type { DayWindow } from '../active-users/active-day-sets.js';
import { UserBitset } from '../shared/user-bitset.js';
import { tenantsPerPeriod } from '../table/tenants.query.js';

/**
 * The tenants active on each local day of a window (a tenant is active when any of
 * its users is), as the sets the analytics count: each tenant numbered here, the same
 * number on every day, so `activeTenants` is `activeUsers`' arithmetic on tenants.
 * One SQL statement for the whole window.
 *
 * @internal
 */
export async function activeTenantDays(manager: EntityManager, days: readonly (LocalDay | null)[]): Promise<DayWindow> {
  const held = days.filter((day): day is LocalDay => day !== null);
  const tenants = await tenantsPerPeriod(manager, held.map((day) => [day.start, day.end] as const));
  const numbers = new Map<string, number>();
  const numberOf = (tenant: string) => numbers.get(tenant) ?? numbers.set(tenant, numbers.size + 1).get(tenant)!;
  let at = 0;
  return {
    days: days.map((day) => (day === null ? UserBitset.empty() : UserBitset.of(tenants[at++].map(numberOf)))),
    newUsers: UserBitset.empty(),
  };
}
