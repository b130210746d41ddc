/**
 * Whose activity a report counts: the whole site's, or one tenant's (its users'
 * activity in it, its registered users through `users.tenant`). `ReportsService` holds
 * one and hands it down to every count it makes, so `reports.forTenant(tenant)` is the
 * same reports under another scope, not a second implementation.
 *
 * @internal
 */
export interface ReportScope {
  /** Absent: site-wide. */
  readonly tenant?: string;
}

/** The site-wide scope: every row, every registered user. @internal */
export const SITE_WIDE: ReportScope = Object.freeze({});
