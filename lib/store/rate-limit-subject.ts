/**
 * The rate limit is per user and tenant: a claim's subject is the user id alone (no
 * tenant, as before tenants existed, so standing claims keep their meaning), or the
 * user id, a NUL and the tenant. Neither id may hold a NUL (both are refused), so two
 * (user, tenant) pairs never share a subject, and no tenant's subject is a bare user's.
 *
 * A claim's pending add (see `claimRateLimit`) is the subject's user's: the user is what
 * the index adds after the commit, which clears it.
 */
const SEPARATOR = '\u0000';

/** The rate-limit subject of `userId` active in `tenant` (`null`: none). @publicApi */
export function rateLimitSubject(userId: string, tenant: string | null): string {
  return tenant === null ? userId : `${userId}${SEPARATOR}${tenant}`;
}

/** The user of a rate-limit subject: what its claim's pending add records. @publicApi */
export function subjectUser(subject: string): string {
  const cut = subject.indexOf(SEPARATOR);
  return cut < 0 ? subject : subject.slice(0, cut);
}

/** The tenant of a rate-limit subject, `null` for a bare user's. @publicApi */
export function subjectTenant(subject: string): string | null {
  const cut = subject.indexOf(SEPARATOR);
  return cut < 0 ? null : subject.slice(cut + 1);
}
