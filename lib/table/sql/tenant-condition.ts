import type { TenantScope } from './dialect-sql.interface.js';

/**
 * The condition a per-period query puts before its range (`s.tenant = :tenant AND `), or
 * nothing for the site: so a tenant's count leads with the tenant, the first column of
 * `IDX_souvenirs_tenant_when_user`, and scans that tenant's range alone.
 *
 * @internal
 */
export function tenantCondition(escape: (name: string) => string, scope: TenantScope): string {
  return scope === 'tenant' ? `s.${escape('tenant')} = :tenant AND ` : '';
}
