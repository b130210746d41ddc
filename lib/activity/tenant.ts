import { InvalidTenantError } from '../errors/invalid-tenant.error.js';
import { hasLoneSurrogate } from '../shared/well-formed-text.js';

/** Longest tenant the `souvenirs.tenant` column holds (`varchar(255)`). @internal */
export const MAX_TENANT_LENGTH = 255;

/**
 * A tenant as stored: the string itself, or `null` (no tenant) for `null` and `undefined`.
 *
 * @internal
 * @throws InvalidTenantError for anything but a non-empty string of at most
 *   {@link MAX_TENANT_LENGTH} characters (code points) with no NUL and no lone surrogate.
 */
export function toTenant(tenant: unknown): string | null {
  if (tenant === null || tenant === undefined) return null;
  if (typeof tenant !== 'string') throw new InvalidTenantError(tenant, 'not-a-string', MAX_TENANT_LENGTH);
  if (tenant === '') throw new InvalidTenantError(tenant, 'empty', MAX_TENANT_LENGTH);
  // One tenant, one string on every database and store: what one of them would change is refused.
  if (tenant.includes('\u0000') || hasLoneSurrogate(tenant)) throw new InvalidTenantError(tenant, 'unstorable', MAX_TENANT_LENGTH);
  // Databases count characters (code points), not UTF-16 units.
  if (tenant.length > MAX_TENANT_LENGTH && [...tenant].length > MAX_TENANT_LENGTH) {
    throw new InvalidTenantError(tenant, 'too-long', MAX_TENANT_LENGTH);
  }
  return tenant;
}
