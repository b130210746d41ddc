/**
 * Who of a subset of users is in the active-users index, asked of the store itself:
 * the days of each union are united where they live, and only the subset's answer
 * crosses the network, never a day. See {@link ActiveDaysAmongStore}.
 */

/**
 * The reply of `readActiveDaysAmong`.
 *
 * @publicApi
 */
export interface ActiveDaysAmong {
  /**
   * Per union asked, the positions in `users` (0-based, ascending) of the users active on
   * one of its days (none for a union of no days), or `null` when one of its days is not
   * complete.
   */
  readonly members: readonly (readonly number[] | null)[];
  /** The days asked (each once) that are not complete. */
  readonly incompleteDays: readonly string[];
}

/**
 * Optional method of a `SouvenirsStore` that intersects the active-users index with a
 * subset of users in the store (`countActiveUsers({ among })`). A store without it works:
 * the subset's days are then read back (`readActiveDays`) and intersected in the process.
 *
 * @publicApi
 */
export interface ActiveDaysAmongStore {
  /**
   * For each list of days of `unions` (day ids), which of `users` were active on one of
   * them. Each call answers each user from one atomic step (its number, the days'
   * completeness and bits read together); a store may answer large subsets in several
   * steps, a user being in exactly one of them.
   */
  readActiveDaysAmong?(unions: readonly (readonly string[])[], users: readonly string[]): Promise<ActiveDaysAmong>;
}
