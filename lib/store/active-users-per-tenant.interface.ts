/**
 * Every tenant's distinct active users over some days, asked of the store itself: the
 * billing run (`reports.tenantsUsage`). See {@link ActiveUsersPerTenantStore}.
 */

/**
 * The reply of `countActiveUsersPerTenant`: each tenant with at least one active user
 * and its count (in no particular order), or the days that are not complete, which
 * the caller must build before asking again.
 *
 * @publicApi
 */
export type ActiveUsersPerTenant =
  | { readonly tenants: readonly (readonly [tenant: string, users: number])[] }
  | { readonly incompleteDays: readonly string[] };

/**
 * Optional method of a `SouvenirsStore` namespace whose index holds (user, tenant) pairs
 * (`rateLimitSubject(user, tenant)`, never a bare user id) rather than users: the pairs
 * index of `reports.tenantsUsage`. A store without it works: the billing run is then
 * counted in SQL.
 *
 * @publicApi
 */
export interface ActiveUsersPerTenantStore {
  /**
   * Per tenant, the distinct pairs of that tenant in the union of `query.days` and
   * `query.users` (pairs too: the edge hours of a range off midnight, read from SQL),
   * from one atomic step: the numbering, the days' completeness and their bits read
   * together. A pair is counted once however many days hold it.
   */
  countActiveUsersPerTenant?(query: { readonly days: readonly string[]; readonly users: readonly string[] }): Promise<ActiveUsersPerTenant>;
}
